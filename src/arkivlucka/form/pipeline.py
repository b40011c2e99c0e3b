"""Pipeline: filled-in form → read → parse → propose → incident file text (``import``).

``import_form`` does one form in memory; ``import_forms`` does many, writing one incident
file per form and going on past a form that cannot be read.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import Finding, Severity, error
from arkivlucka.files.read import TooLarge, cannot_read, read_capped, too_large
from arkivlucka.form.parse import Layout, Source, organisation_from_text, parse_form
from arkivlucka.form.propose import propose
from arkivlucka.form.read import MAX_BYTES, FormText, read_form
from arkivlucka.incident.dump import dump_json, dump_yaml

FORM_SUFFIXES = (".txt", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
ENVELOPE = "arkivlucka-import/1"
_HEADER = (
    "Imported by 'arkivlucka import' from {name} ({kind}).",
    "Every value was read from the form; what the form does not say is left out.",
    "Items with 'proposed: true' were read from the form's prose: check each against the",
    "form, correct it, then delete its 'proposed: true' line (or delete the item).",
    "Check records_creators (arkivbildare): add each one, confirm a proposed one, before",
    "running 'arkivlucka describe'. See docs/form-import.md and docs/incident-format.md.",
    "The comment above a value says where it was read (page, line) and why it is",
    "uncertain when it is: check those against the form.",
)


@dataclass
class ImportResult:
    """One imported form: the incident data, where each proposal came from, the findings."""

    file: str
    kind: str
    data: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    provenance: dict[str, Source] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Finding]:
        """The findings that ``--strict`` turns into a failure."""
        return [f for f in self.findings if f.severity is not Severity.INFO]

    def render(self, fmt: str = "yaml") -> str:
        """The incident file text: YAML with provenance comments, or the JSON envelope.

        JSON is ``{"format": "arkivlucka-import/1", "incident": {...}, "provenance": {...}}``:
        the incident (what ``load_incident`` reads) under ``incident``, where each value came
        from under ``provenance``.
        """
        if fmt == "json":
            import json

            envelope = {
                "format": ENVELOPE,
                "incident": json.loads(dump_json(self.data)),
                "provenance": {path: _plain(src) for path, src in self.provenance.items()},
            }
            return json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"
        header = [line.format(name=Path(self.file).name, kind=self.kind) for line in _HEADER]
        notes = {path: _comment(src) for path, src in self.provenance.items()}
        for path, src in self.sources.items():
            notes[path] = f"proposed from {src}"
        return dump_yaml(self.data, header, notes)

    def summary(self) -> list[str]:
        """One line per value read: field, value, where from (page, line), certainty."""
        rows = []
        for path, src in self.provenance.items():
            value = _value_at(self.data, path)
            if value is None:
                continue
            shown = " ".join(
                (str(value).lower() if isinstance(value, bool) else str(value)).split()
            )
            shown = shown if len(shown) <= 48 else shown[:47] + "…"
            sure = f"uncertain: {src.uncertain}" if src.uncertain else "certain"
            rows.append(f"  {path:<32} {shown:<48}  {src.where():<13} {sure}")
        return ["fields read:", *rows] if rows else []


def _plain(src: Source) -> dict[str, Any]:
    return {
        "page": src.page,
        "line": src.line,
        "certainty": "uncertain" if src.uncertain else "certain",
        "reason": src.uncertain,
    }


def _comment(src: Source) -> str:
    where = f"read from {src.where()}"
    return f"{where}; UNCERTAIN: {src.uncertain}" if src.uncertain else where


def _value_at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    if isinstance(node, dict):
        return ", ".join(f"{v}" for v in node.values() if v is not True)
    if isinstance(node, list):
        return ", ".join(str(v.get("name", v) if isinstance(v, dict) else v) for v in node)
    return node


def import_form(data: bytes, file: str = "<form>", *, tesseract: str | None = None) -> ImportResult:
    """Read one form's bytes into incident data; raise ``FormError`` if it is not a readable form.

    ``tesseract``: the OCR program for scanned forms (default ``$ARKIVLUCKA_TESSERACT``, else
    ``tesseract`` on the PATH).
    """
    return import_text(read_form(data, file, tesseract=tesseract), file)


def import_text(form: FormText, file: str = "<form>") -> ImportResult:
    """Import a form already read into text lines (see ``form_read.read_form``)."""
    parsed = parse_form(form.lines, file, form.kind, Layout(form.pages, form.uncertain))
    fields = dict(parsed.fields)
    provenance = dict(parsed.sources)
    findings = [f.with_file(file) for f in form.findings] + list(parsed.findings)
    if "organisation" not in fields:
        org = organisation_from_text(form.text)
        if org:
            fields = {"format": fields.pop("format"), "organisation": org, **fields}
            findings.append(
                Finding("organisation-from-text", Severity.INFO,
                        f"organisation: '{org}' is the body the form's text names; check it",
                        file, None, "organisation")
            )  # fmt: skip
    props = propose(fields)
    for key in ("lost_records", "systems", "extracts"):
        if getattr(props, key):
            fields[key] = getattr(props, key)
    for key, (value, origin) in props.affected.items():
        if key not in fields.get("affected", {}):
            fields.setdefault("affected", {})[key] = value
            src = provenance.get(origin, Source(None))
            provenance[f"affected.{key}"] = Source(
                src.line, src.page, f"read from the prose of {origin} ('{value}')"
            )
    fields = _contract_order(fields)
    if parsed.title:
        dept = fields.get("department")
        fields["source"] = f"{parsed.title}, {dept}" if dept else parsed.title
    findings += [f.with_file(file) for f in props.findings]
    if fields.get("records_creators"):
        name = fields["records_creators"][0]["name"]
        findings.append(
            Finding("proposed", Severity.INFO,
                    f"records_creators: '{name}' (the board named on the form) proposed as the "
                    "records creator; add any other board, then delete its 'proposed: true' line",
                    file, provenance.get("records_creators", Source(None)).line, "records_creators")
        )  # fmt: skip
    else:
        findings.append(
            Finding("records-creators-missing", Severity.INFO,
                    "records_creators: not on the form; add the records creators (arkivbildare) "
                    "before 'describe'", file, None, "records_creators")
        )  # fmt: skip
    for path, src in provenance.items():
        if src.uncertain:
            findings.append(
                Finding("value-uncertain", Severity.WARNING,
                        f"{path}: the value read may be wrong: {src.uncertain}; check it",
                        file, src.line, path)
            )  # fmt: skip
    return ImportResult(file, form.kind, fields, props.sources, findings, provenance)


def _contract_order(fields: dict[str, Any]) -> dict[str, Any]:
    from arkivlucka.incident.dump import ordered

    return ordered(fields)


def import_path(path: str | Path) -> ImportResult:
    """Read and import the form at ``path``; raise ``InputError`` when it cannot be read."""
    name = str(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except TooLarge as exc:
        raise too_large(name, exc, "form-too-large") from None
    except OSError as exc:
        raise cannot_read(name, exc) from None
    return import_form(data, name)


def collect_forms(inputs: Iterable[str | Path]) -> list[Path]:
    """The forms named: files as given, folders searched (sorted) for .txt, .pdf and .docx."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FORM_SUFFIXES
            )
        else:
            out.append(p)
    return out


@dataclass
class BatchItem:
    """What happened to one form of a batch: its result or its error, and what was written."""

    form: Path
    result: ImportResult | None = None
    failure: ArkivluckaError | None = None
    written: Path | None = None


def output_names(forms: list[Path], fmt: str) -> list[str]:
    """One output file name per form: its stem, made unique (``a.txt`` and ``a.pdf``).

    Names are unique also where case and Unicode normalisation do not count (``A.txt`` and
    ``a.pdf`` on macOS or Windows), so no output overwrites another.
    """
    suffix = ".json" if fmt == "json" else ".yaml"
    names: list[str] = []
    taken: set[str] = set()
    stems = Counter(_fs_key(f.stem) for f in forms)
    for form in forms:
        stem = _cut_utf8(form.stem)
        name = stem + suffix
        if _fs_key(name) in taken or stems[_fs_key(form.stem)] > 1:
            name = f"{stem}-{form.suffix.lstrip('.').lower() or 'form'}{suffix}"
        n = 2
        base = name
        while _fs_key(name) in taken:
            name, n = f"{Path(base).stem}-{n}{suffix}", n + 1
        names.append(name)
        taken.add(_fs_key(name))
    return names


def _cut_utf8(stem: str, limit: int = 200) -> str:
    """``stem`` cut to ``limit`` UTF-8 bytes (file names may hold 255), whole characters kept."""
    return stem.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _fs_key(name: str) -> str:
    """A file name as a case-insensitive, normalisation-insensitive file system sees it."""
    return unicodedata.normalize("NFC", name).casefold()


def import_forms(
    forms: list[Path],
    outdir: str | Path,
    fmt: str = "yaml",
    on_done: Callable[[BatchItem], None] | None = None,
    *,
    overwrite: bool = False,
) -> list[BatchItem]:
    """Import every form and write ``OUTDIR/<form-stem>.yaml``; a bad form is recorded, not raised.

    An existing incident file is replaced only with ``overwrite`` (else that form fails).
    """
    from arkivlucka.files.write import atomic_write

    items: list[BatchItem] = []
    for form, name in zip(forms, output_names(forms, fmt), strict=True):
        item = BatchItem(form)
        try:
            item.result = import_path(form)
            data = item.result.render(fmt).encode()
            item.written = atomic_write(Path(outdir) / name, data, overwrite=overwrite)
        except ArkivluckaError as exc:
            item.failure = exc
        except Exception as exc:  # a bug must not stop the other forms; it is reported
            msg = f"unexpected error while importing (please report it): {exc!r}"
            item.failure = ArkivluckaError(
                f"{form}: {msg}", [error("internal-error", msg, file=str(form))]
            )
        items.append(item)
        if on_done:
            on_done(item)
    return items
