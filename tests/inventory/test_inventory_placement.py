"""Merge placement: a gap note goes on a storage unit only if it holds the lost records.

Each case: the units of class 3.2 (or series F3) and the lost record; which units get a note.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.inventory.merge import merge_file
from support.inventory_helpers import INV_NS, make_entry, q

INVENTORY = """\
<Arkivforteckning xmlns="{ns}" Schemaversion="1.0">
  <Arkivbildare><Namn>Kommunstyrelsen</Namn></Arkivbildare>
  <Arkiv>
    <Klass Kod="3.2"><Rubrik>Löner</Rubrik>{klass}</Klass>
    <Serie Signum="F3"><Rubrik>Lönehandlingar</Rubrik>{serie}</Serie>
  </Arkiv>
</Arkivforteckning>
"""


def unit(ident: str, title: str | None, start: str, end: str, content: str | None = None) -> str:
    parts = [f"<Volym>{ident}</Volym>"]
    if title:
        parts.append(f"<Rubrik>{title}</Rubrik>")
    parts.append(f"<Period><Start>{start}</Start><Slut>{end}</Slut></Period>")
    if content:
        parts.append(f"<Innehall>{content}</Innehall>")
    return f'<Forvaringsenhet ID="{ident}">{"".join(parts)}</Forvaringsenhet>'


PAYROLL_CLASS = "".join(
    [
        unit("lon-3", "Lönelistor och attestlistor vol. 3", "2024", "2024"),
        unit("tid-1", "Registrerade tidrapporter", "2024-01", "2024-06"),
        unit("tid-0", "Registrerade tidrapporter", "2023-01", "2023-12"),
        unit("odat-1", None, "2024", "2024"),
        unit("diverse", "Diverse", "2024", "2024", "Tidrapporter och reseräkningar"),
    ]
)
F3 = unit("f3-1", "Lönespecifikationer", "2024", "2024")


@pytest.mark.parametrize(
    ("gap", "noted"),
    [
        pytest.param(
            {"id": "tid", "title": "Tidrapporter", "klass": "3.2", "start": "2024-01-13",
             "end": "2024-01-19"},
            ["tid-1", "odat-1", "diverse"],
            id="by content: not the unit of other records; undescribed unit by class",
        ),
        pytest.param(
            {"id": "lon", "title": "Lönelistor", "klass": "3.2", "start": "2024", "end": "2024"},
            ["lon-3", "odat-1"],
            id="a word of a compound title",
        ),
        pytest.param(
            {"id": "tid", "title": "Tidrapporter", "klass": "3.2", "start": "2022", "end": "2022"},
            [],
            id="no unit's period overlaps",
        ),
        pytest.param(
            {"id": "spec", "title": "Specifikationer", "serie": "F3", "start": "2024", "end": "2024"},
            ["f3-1"],
            id="by series: the series is the record type",
        ),
    ],
)  # fmt: skip
def test_gap_note_only_on_units_holding_the_records(
    tmp_path: Path, gap: dict[str, str], noted: list[str]
) -> None:
    inventory = tmp_path / "inv.xml"
    inventory.write_text(
        INVENTORY.format(ns=INV_NS, klass=PAYROLL_CLASS, serie=F3), encoding="utf-8"
    )
    entry = make_entry(tmp_path / "e.xml", [gap])
    report = merge_file(entry, inventory)
    root = etree.parse(str(inventory)).getroot()
    got = [
        u.get("ID")
        for u in root.iter(q("Forvaringsenhet"))
        if any(n.get("Typ") == "lucka" for n in u.iter(q("Anmarkning")))
    ]
    assert got == noted
    assert report.unit_notes == len(noted)
