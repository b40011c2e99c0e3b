"""Read stage: load an incident file (YAML or JSON) into the model, reporting every problem.

Each problem is a finding with the field path and the line, and all of them are collected
before anything fails. The keys are a fixed contract, documented in ``docs/incident-format.md``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arkivlucka.core.errors import IncidentError, InputError
from arkivlucka.core.findings import Finding, error, has_errors
from arkivlucka.core.text import NOT_XML as _NOT_XML
from arkivlucka.core.text import slug
from arkivlucka.files.read import TooLarge, cannot_read, read_capped
from arkivlucka.incident import model as m
from arkivlucka.incident.contract import FORMAT, LOST_RECORD_KEYS, SECTION_KEYS, TEXT_KEYS, TOP_KEYS
from arkivlucka.incident.enums import ENUMS, SWEDISH, choices, read_enum
from arkivlucka.incident.values import parse_partial_date, parse_time

__all__ = [
    "ENUMS",
    "SWEDISH",
    "LoadedIncident",
    "load_incident",
    "load_incident_text",
    "parse_partial_date",
    "parse_time",
    "slug",
]
from arkivlucka.incident.yamlread import parse_text
from arkivlucka.incident.yamltree import MAX_BYTES, Map, Node, Scalar, Seq

_BOOL_WORDS = {"yes": True, "ja": True, "no": False, "nej": False}
_PARTIAL_WORDS = ("partial", "delvis")


@dataclass
class LoadedIncident:
    """An incident with where it came from: file name and the line of each field path."""

    incident: m.Incident
    file: str
    lines: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def locate(self, findings: list[Finding]) -> list[Finding]:
        """Fill in file and line of findings that name only a field path."""
        out = []
        for f in findings:
            line = f.line if f.line is not None else self._line_of(f.path)
            out.append(replace(f, file=f.file or self.file, line=line))
        return out

    def _line_of(self, path: str | None) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            parent = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
            path = "" if parent == path else parent
        return None


def load_incident(path: str | Path) -> LoadedIncident:
    """Load and check the structure of an incident file; raise ``IncidentError`` on any error.

    Warnings (e.g. an unconfirmed proposal is not one; unknown facts are not checked here)
    are kept in ``LoadedIncident.findings``. Rules across fields live in ``rules``.
    """
    p = Path(path)
    name = str(path)
    try:
        raw = read_capped(p, MAX_BYTES)
    except TooLarge:
        raise InputError(
            f"{name}: file is larger than {MAX_BYTES // (1024 * 1024)} MiB",
            [error("file-too-large", "file is too large for an incident file", file=name)],
        ) from None
    except OSError as exc:
        raise cannot_read(name, exc) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}:{line}: not UTF-8 text",
            [error("encoding", "the file is not UTF-8 text", file=name, line=line)],
        ) from None
    return load_incident_text(text, name, json_first=p.suffix.lower() == ".json")


def load_incident_text(
    text: str, file: str = "<incident>", *, json_first: bool = False
) -> LoadedIncident:
    """Load an incident from YAML or JSON text; see ``load_incident``."""
    return load_incident_tree(parse_text(text, file, json_first=json_first), file)


def load_incident_tree(tree: Node, file: str = "<incident>") -> LoadedIncident:
    """Load an incident from an already parsed node tree (``yamlread.parse_text``)."""
    reader = _Reader(file)
    incident = reader.incident(tree)
    if has_errors(reader.findings):
        errors = [f for f in reader.findings if f.is_error]
        raise IncidentError(
            f"{file}: {len(errors)} problem(s) in the incident file", reader.findings
        )
    return LoadedIncident(incident, file, reader.lines, reader.findings)


class _Reader:
    """Turns a node tree into model objects, collecting findings instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.lines: dict[str, int] = {}

    # -- reporting -------------------------------------------------------------------
    def fail(self, code: str, path: str, message: str, node: Node | None = None) -> None:
        line = node.line if node is not None else self.lines.get(path)
        self.findings.append(
            error(code, f"{path}: {message}", file=self.file, line=line, path=path)
        )

    def mapping(self, node: Node | None, path: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return {}
        if not isinstance(node, Map):
            self.fail("invalid-type", path or "(top)", "expected a mapping of keys to values", node)
            return {}
        for key, line in node.key_lines.items():
            sub = f"{path}.{key}" if path else key
            if line is not None:
                self.lines[sub] = line
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail("unknown-field", sub, f"unknown field{hint}", node.items[key])
        return node.items

    def seq(self, node: Node | None, path: str) -> list[Node]:
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return []
        if not isinstance(node, Seq):
            self.fail("invalid-type", path, "expected a list", node)
            return []
        for i, item in enumerate(node.items):
            if item.line is not None:
                self.lines[f"{path}[{i}]"] = item.line
        return node.items

    # -- scalars ---------------------------------------------------------------------
    def text(self, node: Node | None, path: str, *, required: bool = False) -> str | None:
        if type(node) is Scalar and type(node.value) is str:  # the common case, in short
            value = node.raw.strip()
            # printable text holds nothing XML cannot (those are all control, surrogate or
            # non-characters): the search only for the rest (line breaks, tabs, ...)
            if value and not value.isprintable() and _NOT_XML.search(value):
                self.text_refused(node, path, value)
                return None
            if not value and required:
                self.fail("missing-field", path, "this field is required and is empty", node)
            return value or None
        if node is None or (isinstance(node, Scalar) and node.value is None):
            if required:
                self.fail("missing-field", path, "this field is required", node)
            return None
        if not isinstance(node, Scalar):
            self.fail("invalid-type", path, "expected text", node)
            return None
        if isinstance(node.value, bool) and not node.quoted:
            self.fail(
                "invalid-type", path, f"expected text, got the boolean {node.raw}; quote it", node
            )
            return None
        value = node.raw.strip()
        if _NOT_XML.search(value):
            self.text_refused(node, path, value)
            return None
        if not value and required:
            self.fail("missing-field", path, "this field is required and is empty", node)
        return value or None

    def text_refused(self, node: Node, path: str, value: str) -> None:
        """Report the first character of ``value`` that XML cannot hold."""
        bad = _NOT_XML.search(value)
        assert bad is not None
        self.fail(
            "invalid-character",
            path,
            f"contains U+{ord(bad.group()):04X}, a character XML cannot hold; remove it",
            node,
        )

    def boolean(self, node: Node | None, path: str) -> bool | None:
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return None
        if isinstance(node, Scalar):
            if isinstance(node.value, bool):
                return node.value
            word = node.raw.strip().lower()
            if word in _BOOL_WORDS:
                return _BOOL_WORDS[word]
        self.fail(
            "invalid-value",
            path,
            "expected true or false (yes/no and ja/nej are read as such)",
            node,
        )
        return None

    def restored(self, node: Node | None, path: str) -> m.Restored | None:
        if (
            isinstance(node, Scalar)
            and isinstance(node.value, str)
            and node.raw.strip().lower() in _PARTIAL_WORDS
        ):
            return "partial"
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return None
        if isinstance(node, Scalar) and (
            isinstance(node.value, bool) or node.raw.strip().lower() in _BOOL_WORDS
        ):
            return self.boolean(node, path)
        self.fail(
            "invalid-value",
            path,
            "expected true, false or partial (ja/nej and delvis are read as such)",
            node,
        )
        return None

    def enum(self, node: Node | None, path: str, kind: str) -> Any:
        """An enum value in English or in Swedish (``konstaterad`` is read as ``confirmed``)."""
        value = self.text(node, path)
        if value is None:
            return None
        read = read_enum(kind, value)
        if read is None:
            self.fail("invalid-value", path, f"'{value}' is not one of: {choices(kind)}", node)
        return read

    def timepoint(self, node: Node | None, path: str) -> m.TimePoint | None:
        keys = self.mapping(node, path, SECTION_KEYS["discovered"])
        if not keys:
            return None
        at = self.text(keys.get("at"), f"{path}.at", required=True)
        precision = self.enum(keys.get("precision"), f"{path}.precision", "precision")
        if at is None:
            return None
        parsed = parse_time(at)
        if isinstance(parsed, str):
            self.fail("invalid-date", f"{path}.at", parsed, keys.get("at"))
            return None
        return m.TimePoint(parsed, precision)

    def partial_date(self, node: Node | None, path: str) -> m.PartialDate | None:
        value = self.text(node, path)
        if value is None:
            return None
        parsed = parse_partial_date(value)
        if isinstance(parsed, str):
            self.fail("invalid-date", path, parsed, node)
            return None
        return parsed

    def period(self, node: Node | None, path: str) -> m.Period:
        if isinstance(node, Scalar) and node.value is not None:
            return self._period_text(node, path)
        keys = self.mapping(node, path, ("start", "end", "text"))
        start, end, text = keys.get("start"), keys.get("end"), keys.get("text")
        return m.Period(  # a field path is made only for a value that is there
            None if start is None else self.partial_date(start, f"{path}.start"),
            None if end is None else self.partial_date(end, f"{path}.end"),
            None if text is None else self.text(text, f"{path}.text"),
        )

    def _period_text(self, node: Scalar, path: str) -> m.Period:
        value = node.raw.strip()
        start_s, sep, end_s = value.partition("/")
        dashed = re.fullmatch(
            r"(\d{4}(?:-\d{2}){0,2})\s*(?:--|[–—]|\s-\s)\s*(\d{4}(?:-\d{2}){0,2})", value, re.ASCII
        )
        dashed = dashed or re.fullmatch(
            r"(\d{4}|\d{4}-\d{2}|\d{4}-\d{2}-\d{2})-(\d{4}(?:-\d{2}){0,2})", value, re.ASCII
        )
        if not sep and dashed:
            a, b = dashed.groups()
            self.fail(
                "invalid-date",
                path,
                f"'{value}' is not a year, year-month or date but looks like a period; write it "
                f"'{a}/{b}' or as start: {a} and end: {b}",
                node,
            )
            return m.Period()
        if not sep:
            one = self.partial_date(node, path)
            return m.Period(one, one)
        ends: list[m.PartialDate | None] = []
        for part in (start_s.strip(), end_s.strip()):
            if part in ("", ".."):
                ends.append(None)
                continue
            parsed = parse_partial_date(part)
            if isinstance(parsed, str):
                self.fail("invalid-date", path, f"in '{value}': {parsed}", node)
                ends.append(None)
            else:
                ends.append(parsed)
        return m.Period(ends[0], ends[1])

    # -- sections --------------------------------------------------------------------
    def incident(self, tree: Node) -> m.Incident:
        top = self.mapping(tree, "", TOP_KEYS)
        if not isinstance(tree, Map):
            return m.Incident()
        fmt = self.text(top.get("format"), "format")
        if fmt is not None and fmt != FORMAT:
            self.fail(
                "invalid-value",
                "format",
                f"unsupported format '{fmt}', expected '{FORMAT}'",
                top.get("format"),
            )
        person = self.mapping(top.get("reported_by"), "reported_by", SECTION_KEYS["reported_by"])
        cons = self.mapping(top.get("consequences"), "consequences", SECTION_KEYS["consequences"])
        affected = self.mapping(top.get("affected"), "affected", SECTION_KEYS["affected"])
        texts = {key: self.text(top.get(key), key) for key in TEXT_KEYS}
        return m.Incident(
            reported_by=m.Person(
                *(self.text(person.get(k), f"reported_by.{k}") for k in ("name", "title", "email"))
            ),
            kind=self.enum(top.get("kind"), "kind", "kind"),
            status=self.enum(top.get("status"), "status", "status"),
            discovered=self.timepoint(top.get("discovered"), "discovered"),
            occurred=self.timepoint(top.get("occurred"), "occurred"),
            categories=tuple(
                text
                for i, node in enumerate(self.seq(top.get("categories"), "categories"))
                if (text := self.text(node, f"categories[{i}]", required=True))
            ),
            consequences=m.Consequences(
                self.enum(cons.get("disruption"), "consequences.disruption", "disruption"),
                self.boolean(cons.get("business_critical"), "consequences.business_critical"),
                self.restored(cons.get("restored"), "consequences.restored"),
            ),
            reports=tuple(self._each(top, "reports", self.report)),
            affected=m.Affected(
                *(self.text(affected.get(k), f"affected.{k}") for k in ("records", "persons"))
            ),
            police_report=self.boolean(top.get("police_report"), "police_report"),
            personal_data_risk=self.enum(
                top.get("personal_data_risk"), "personal_data_risk", "personal_data_risk"
            ),
            lost_records=tuple(self._each(top, "lost_records", self.lost_record)),
            systems=tuple(self._each(top, "systems", self.system)),
            processes=tuple(self._each(top, "processes", self.process)),
            records_creators=tuple(self._each(top, "records_creators", self.creator)),
            extracts=tuple(self._each(top, "extracts", self.extract)),
            **texts,
        )

    def _each(self, top: dict[str, Node], key: str, build: Any) -> list[Any]:
        out = []
        for i, node in enumerate(self.seq(top.get(key), key)):
            item = build(node, f"{key}[{i}]")
            if item is not None:
                out.append(item)
        return out

    def lost_record(self, node: Node, path: str) -> m.LostRecord | None:
        keys = self.mapping(node, path, LOST_RECORD_KEYS)
        title = self.text(keys.get("title"), f"{path}.title", required=True)
        if title is None:
            return None
        return m.LostRecord(
            id=self.text(keys.get("id"), f"{path}.id") or slug(title),
            title=title,
            period=self.period(keys.get("period"), f"{path}.period"),
            extent=self.enum(keys.get("extent"), f"{path}.extent", "extent") or "unknown",
            **{
                k: self.text(keys[k], f"{path}.{k}") if k in keys else None
                for k in LOST_RECORD_KEYS[4:-1]
            },
            proposed="proposed" in keys
            and bool(self.boolean(keys["proposed"], f"{path}.proposed")),
        )

    def system(self, node: Node, path: str) -> m.System | None:
        keys = self.mapping(node, path, SECTION_KEYS["systems"])
        name = self.text(keys.get("name"), f"{path}.name", required=True)
        if name is None:
            return None
        return m.System(
            name,
            self.text(keys.get("role"), f"{path}.role"),
            self.text(keys.get("supplier"), f"{path}.supplier"),
            bool(self.boolean(keys.get("proposed"), f"{path}.proposed")),
        )

    def process(self, node: Node, path: str) -> m.Process | None:
        keys = self.mapping(node, path, SECTION_KEYS["processes"])
        code = self.text(keys.get("code"), f"{path}.code", required=True)
        if code is None:
            return None
        return m.Process(
            code,
            self.text(keys.get("title"), f"{path}.title"),
            self.text(keys.get("scheme"), f"{path}.scheme"),
        )

    def creator(self, node: Node, path: str) -> m.RecordsCreator | None:
        keys = self.mapping(node, path, SECTION_KEYS["records_creators"])
        name = self.text(keys.get("name"), f"{path}.name", required=True)
        if name is None:
            return None
        return m.RecordsCreator(
            name,
            self.text(keys.get("department"), f"{path}.department"),
            self.text(keys.get("code"), f"{path}.code"),
            bool(self.boolean(keys.get("proposed"), f"{path}.proposed")),
        )

    def report(self, node: Node, path: str) -> m.AuthorityReport | None:
        keys = self.mapping(node, path, SECTION_KEYS["reports"])
        to = self.text(keys.get("to"), f"{path}.to", required=True)
        if to is None:
            return None
        return m.AuthorityReport(
            to,
            self.partial_date(keys.get("date"), f"{path}.date"),
            self.text(keys.get("reference"), f"{path}.reference"),
        )

    def extract(self, node: Node, path: str) -> m.Extract | None:
        keys = self.mapping(node, path, SECTION_KEYS["extracts"])
        title = self.text(keys.get("title"), f"{path}.title", required=True)
        if title is None:
            return None
        return m.Extract(
            title,
            self.period(keys.get("period"), f"{path}.period"),
            self.text(keys.get("kept_in"), f"{path}.kept_in"),
            self.text(keys.get("series"), f"{path}.series"),
            self.text(keys.get("reference"), f"{path}.reference"),
            bool(self.boolean(keys.get("proposed"), f"{path}.proposed")),
        )
