"""Benchmark: inventory merge and import against lxml floors, in pairs (A B A B ...).

merge: arkivlucka inventory merge of an entry into an inventory of N storage units (safe
parse, place gaps, note units, validate, backup, atomic write) against lxml parse +
serialise + XSD validate of the same file (targets: time <= 2x, peak memory <= 1.5x); a
repeated merge (no change) is shown against the same floor.
import: `inventory import` of the same inventory as CSV against reading that CSV with
``csv.reader`` and building the same tree with bare lxml, serialised (targets: time <= 2x,
memory <= 2x). Each run is a fresh fork; peak memory is what the run added.
Usage: python benchmarks/bench_inventory.py [--units N] [--quick] [--pairs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from benchlib import pairs, report


def build(path: Path, units: int) -> None:
    from arkivlucka.inventory.model import Group, Inventory, Span, Unit, build_xml
    from arkivlucka.inventory.xmlfile import serialise_new

    inv = Inventory("Kommunstyrelsen", "Kommunledningsförvaltningen", archive_name="Bench")
    per_group = 400
    groups = max(1, units // per_group)
    codes = [f"{1 + i // 90}.{1 + i % 90}" for i in range(groups // 2)]
    codes[0:0] = ["2.2"] if "2.2" not in codes else []
    codes += [f"F{i + 1}" for i in range(groups - len(codes))]
    made = 0
    for code in codes:
        kind = "Serie" if code.startswith("F") else "Klass"
        group = Group(kind, code, title=f"Rubrik {code}")
        count = min(per_group, units - made)
        for n in range(count):
            year = 1990 + n % 34
            group.children.append(
                Unit(
                    str(n + 1),
                    period=Span(str(year), str(year)),
                    content=f"Handlingar {code} volym {n + 1}",
                    location=f"Hylla {n % 50}",
                )
            )
        made += count
        inv.groups.append(group)
    path.write_bytes(serialise_new(build_xml(inv, "2024-03-01T10:00:00+00:00", ("bench", "0"))))


def make_entry(folder: Path) -> Path:
    from arkivlucka.core.context import RunContext
    from arkivlucka.entries.describe import describe

    repo = Path(__file__).resolve().parents[1]
    ctx = RunContext(created=datetime(2024, 3, 1, tzinfo=UTC), tool_version="bench")
    describe(repo / "samples" / "digframe" / "incident.yaml", folder / "entries", ctx)
    return next((folder / "entries").rglob("arkivforteckning.xml"))


def rebuild_ops(root: etree._Element) -> list[tuple[int, str, dict[str, str], str | None]]:
    """The imported tree as (depth, tag, attributes, text), for the floor to build again."""
    depth = {root: 0}
    ops = []
    for el in root.iter():
        if el is not root:
            depth[el] = depth[el.getparent()] + 1
        ops.append((depth[el], el.tag, dict(el.attrib), el.text))
    return ops


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 units, 3 pairs")
    parser.add_argument("--pairs", type=int, default=None)
    opts = parser.parse_args()
    units = 10_000 if opts.quick else opts.units
    runs = opts.pairs or (3 if opts.quick else 5)
    from arkivlucka.core.context import RunContext
    from arkivlucka.inventory.merge import merge_file
    from arkivlucka.inventory.pipeline import export_inventory, import_spreadsheet
    from arkivlucka.inventory.sheet import ImportOptions
    from arkivlucka.xmldoc import schemas

    info = schemas.lookup(schemas.NS_ARKIVFORTECKNING, "Arkivforteckning")
    schema = schemas.schema_for(info)
    assert schema is not None
    ctx = RunContext(created=datetime(2024, 3, 1, tzinfo=UTC), tool_version="bench")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = folder / "master.xml"
        build(master, units)
        entry = make_entry(folder)
        target = folder / "inventory.xml"
        size = master.stat().st_size / 1e6

        def fresh() -> None:
            shutil.copyfile(master, target)

        def merge_floor() -> None:
            tree = etree.parse(str(target))
            etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
            assert schema.validate(tree)

        def merge() -> None:
            assert merge_file(entry, target).changed

        name = f"inventory merge, {units:,} units ({size:.0f} MB)"
        floor_label = "lxml parse + serialise + validate"
        report(
            name,
            "merge",
            floor_label,
            pairs(merge, merge_floor, runs, before=fresh),
            "≤ 2× time, ≤ 1.5× memory",
        )
        fresh()
        merge()

        def remerge() -> None:
            assert not merge_file(entry, target).changed

        report(
            name + ", again (no change)",
            "merge",
            floor_label,
            pairs(remerge, merge_floor, runs),
            "—",
        )

        sheet = folder / "inventory.csv"
        export_inventory(master, sheet, "csv", ctx)
        imported = folder / "imported.xml"
        options = ImportOptions(
            "Kommunstyrelsen", "Kommunledningsförvaltningen", archive_name="Bench"
        )
        import_spreadsheet(sheet, imported, options, ctx, overwrite=True)
        ops = rebuild_ops(etree.parse(str(imported)).getroot())

        def import_floor() -> None:
            text = sheet.read_bytes().decode("utf-8-sig")
            list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
            stack: list[etree._Element] = []
            for depth, tag, attrib, value in ops:
                del stack[depth:]
                el = (
                    etree.Element(tag, attrib)
                    if not stack
                    else etree.SubElement(stack[-1], tag, attrib)
                )
                el.text = value
                stack.append(el)
            etree.tostring(stack[0], encoding="UTF-8", xml_declaration=True)

        def import_() -> None:
            import_spreadsheet(sheet, imported, options, ctx, overwrite=True)

        report(
            f"inventory import, CSV of {units:,} units ({sheet.stat().st_size / 1e6:.0f} MB)",
            "import",
            "csv.reader + bare lxml build + serialise",
            pairs(import_, import_floor, runs),
            "≤ 2× time, ≤ 2× memory",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
