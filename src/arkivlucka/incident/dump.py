"""Write-format stage: incident data (a model or a dict under the contract keys) as YAML or JSON.

Keys come out in contract order; long texts as folded block scalars (paragraphs kept), and
everything the strict loader could read as something else (times, numbers, ``yes``) quoted,
so the file loads back with ``load_incident`` to exactly the same values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from arkivlucka.incident import model as m
from arkivlucka.incident.contract import FORMAT, SECTION_KEYS

ORDER = SECTION_KEYS
WIDTH = 92
_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w .,()/&'’–+@-]*[\w.)’']|[A-Za-zÀ-ÖØ-öø-ÿ]")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def ordered(data: Mapping[str, Any], section: str = "") -> dict[str, Any]:
    """A copy of ``data`` with keys in contract order (unknown keys last, as given)."""
    order = ORDER.get(section, ())
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    out: dict[str, Any] = {}
    for key in keys:
        value = data[key]
        if value is None:
            continue
        if isinstance(value, Mapping):
            value = ordered(value, key)
        elif isinstance(value, list | tuple):
            value = [ordered(v, key) if isinstance(v, Mapping) else v for v in value]
        out[key] = value
    return out


def dump_json(data: Mapping[str, Any]) -> str:
    """The incident as JSON (UTF-8 kept readable), keys in contract order."""
    return json.dumps(ordered(data), ensure_ascii=False, indent=2) + "\n"


def dump_yaml(
    data: Mapping[str, Any], header: list[str] | None = None, notes: Mapping[str, str] | None = None
) -> str:
    """The incident as YAML; ``header`` comment lines on top, ``notes`` above keys and items.

    ``notes`` maps a path such as ``department``, ``reported_by.name`` or ``lost_records[0]``
    to a one-line comment, written on the line above it.
    """
    out = [f"# {line}".rstrip() for line in header or []]
    _map(ordered(data), 0, "", out, notes or {})
    return "\n".join(out) + "\n"


def _map(
    data: Mapping[str, Any], indent: int, path: str, out: list[str], notes: Mapping[str, str]
) -> None:
    pad = " " * indent
    first = True
    for key, value in data.items():
        sub = f"{path}.{key}" if path else key
        lead = pad
        if first and out and out[-1].endswith("- "):  # first key of a list item, same line
            lead = out.pop()
        first = False
        keynote = notes.get(sub)
        if keynote and lead == pad:
            out.append(f"{pad}# {' '.join(keynote.split())}")
        if isinstance(value, Mapping):
            out.append(f"{lead}{key}:")
            _map(value, indent + 2, sub, out, notes)
        elif isinstance(value, list | tuple):
            if not value:
                out.append(f"{lead}{key}: []")
                continue
            out.append(f"{lead}{key}:")
            for i, item in enumerate(value):
                note = notes.get(f"{sub}[{i}]")
                if note:
                    out.append(f"{pad}  # {' '.join(note.split())}")
                if isinstance(item, Mapping):
                    out.append(f"{pad}  - ")
                    _map(item, indent + 4, f"{sub}[{i}]", out, notes)
                else:
                    out.append(f"{pad}  - {scalar(item, indent + 4)}")
        else:
            out.append(f"{lead}{key}: {scalar(value, indent + 2)}")


def scalar(value: Any, indent: int) -> str:
    """One scalar as YAML: plain when unambiguous, a folded block for long text, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if (
        "\n" not in text
        and len(text) <= WIDTH - indent
        and _PLAIN.fullmatch(text)
        and text.lower() not in _RESERVED
        and ": " not in text
        and " #" not in text
    ):
        return text
    if ("\n" in text or len(text) > WIDTH - indent) and _foldable(text):
        return "".join(_folded(text, indent))
    return json.dumps(text, ensure_ascii=False)


def _foldable(text: str) -> bool:
    if _UNSAFE.search(text) or "\t" in text or "\r" in text:
        return False
    paras = text.split("\n")
    return all(p and p == p.strip(" ") and "  " not in p for p in paras)


def _folded(text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = [">-"]
    for n, para in enumerate(text.split("\n")):
        if n:
            lines.append("\n")
        line = ""
        for word in para.split(" "):
            if line and len(pad) + len(line) + 1 + len(word) > WIDTH:
                lines.append(f"\n{pad}{line}")
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(f"\n{pad}{line}")
    return lines


def incident_to_dict(incident: m.Incident) -> dict[str, Any]:
    """The model as a dict under the contract keys (empty values and defaults left out)."""
    out: dict[str, Any] = {"format": FORMAT}
    for f in fields(incident):
        out[f.name] = _plain(getattr(incident, f.name))
    return ordered({k: v for k, v in out.items() if v not in (None, [], {})})


def _plain(value: Any) -> Any:
    if isinstance(value, m.TimePoint):
        return {"at": value.iso(), "precision": value.precision}
    if isinstance(value, m.PartialDate):
        return value.iso()
    if isinstance(value, tuple):
        return [_plain(v) for v in value] or None
    if is_dataclass(value) and not isinstance(value, type):
        items = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, m.LostRecord) and value.extent == "unknown":
            items["extent"] = None
        if hasattr(value, "proposed") and not value.proposed:
            items["proposed"] = None
        kept = {k: v for k, v in items.items() if v not in (None, [], {})}
        return kept or None
    return value
