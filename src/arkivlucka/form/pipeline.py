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
from arkivlucka.form.parse import organisation_from_text, parse_form
from arkivlucka.form.propose import propose
from arkivlucka.form.read import MAX_BYTES, FormText, read_form
from arkivlucka.incident.dump import dump_json, dump_yaml

FORM_SUFFIXES = (".txt", ".pdf", ".docx")
_HEADER = (
    "Imported by 'arkivlucka import' from {name} ({kind}).",
    "Every value was read from the form; what the form does not say is left out.",
    "Items with 'proposed: true' were read from the form's prose: check each against the",
    "form, correct it, then delete its 'proposed: true' line (or delete the item).",
    "records_creators is not on the form: add each records creator (arkivbildare) before",
    "running 'arkivlucka describe'. See docs/form-import.md and docs/incident-format.md.",
)


@dataclass
class ImportResult:
    """One imported form: the incident data, where each proposal came from, the findings."""

    file: str
    kind: str
    data: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        """The findings that ``--strict`` turns into a failure."""
        return [f for f in self.findings if f.severity is not Severity.INFO]

    def render(self, fmt: str = "yaml") -> str:
        """The incident file text, YAML (with comments) or JSON."""
        if fmt == "json":
            return dump_json(self.data)
        header = [line.format(name=Path(self.file).name, kind=self.kind) for line in _HEADER]
        notes = {path: f"proposed from {src}" for path, src in self.sources.items()}
        return dump_yaml(self.data, header, notes)


def import_form(data: bytes, file: str = "<form>") -> ImportResult:
    """Read one form's bytes into incident data; raise ``FormError`` if it is not a readable form."""
    return import_text(read_form(data, file), file)


def import_text(form: FormText, file: str = "<form>") -> ImportResult:
    """Import a form already read into text lines (see ``form_read.read_form``)."""
    parsed = parse_form(form.lines, file, form.kind)
    fields = dict(parsed.fields)
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
    if parsed.title:
        dept = fields.get("department")
        fields["source"] = f"{parsed.title}, {dept}" if dept else parsed.title
    findings += [f.with_file(file) for f in props.findings]
    findings.append(
        Finding("records-creators-missing", Severity.INFO,
                "records_creators: not on the form; add the records creators (arkivbildare) "
                "before 'describe'", file, None, "records_creators")
    )  # fmt: skip
    return ImportResult(file, form.kind, fields, props.sources, findings)


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
    stems = Counter(_fold(f.stem) for f in forms)
    for form in forms:
        stem = _short(form.stem)
        name = stem + suffix
        if _fold(name) in taken or stems[_fold(form.stem)] > 1:
            name = f"{stem}-{form.suffix.lstrip('.').lower() or 'form'}{suffix}"
        n = 2
        base = name
        while _fold(name) in taken:
            name, n = f"{Path(base).stem}-{n}{suffix}", n + 1
        names.append(name)
        taken.add(_fold(name))
    return names


def _short(stem: str, limit: int = 200) -> str:
    """``stem`` cut to ``limit`` UTF-8 bytes (file names may hold 255), whole characters kept."""
    return stem.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _fold(name: str) -> str:
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
