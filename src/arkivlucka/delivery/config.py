"""Package stage, settings: delivery facts (agreement, reference code, agents) from options or YAML.

The incident file does not say which submission agreement a delivery falls under, the archival
reference code, or the identification codes of the organisations; these come from a small
config file or from the caller's options, options winning. Nothing is guessed: an absent
fact is left out of ``METS.xml`` and reported as a warning. See ``docs/package.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.core.text import xml_unsafe
from arkivlucka.files.read import cannot_read

#: text keys of FGS Paketstruktur 1.2 (``ext:`` attributes and altRecordIDs); unused by 2.0
TEXT_KEYS_12 = (
    "information_type", "content_type_specification", "system_type", "archival_name",
    "appraisal", "access_restrict", "information_class", "agreement_form",
    "previous_submission_agreement", "previous_reference_code",
)  # fmt: skip
AGENT_KEYS_12 = ("producer", "ipowner")
PROFILES = ("fgs-2.0", "fgs-1.2")
CONFIG_KEYS = (
    "profile", "submission_agreement", "reference_code", "label", "objid", "submitter",
    "archival_creators", "preservation", *TEXT_KEYS_12, *AGENT_KEYS_12,
)  # fmt: skip
AGENT_KEYS = ("name", "id")


@dataclass(frozen=True)
class Agent:
    """An organisation named in ``METS.xml``: its name and identification code (both optional)."""

    name: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class PackageSettings:
    """Delivery facts for one package; every field may be empty (then it is left out)."""

    submission_agreement: str | None = None
    reference_code: str | None = None
    label: str | None = None
    objid: str | None = None
    submitter: Agent = field(default_factory=Agent)
    archival_creators: dict[str, str] = field(default_factory=dict)
    preservation: Agent = field(default_factory=Agent)
    #: the package profile: ``fgs-2.0`` (E-ARK SIP 2.1.0) or ``fgs-1.2``; None = the default
    profile: str | None = None
    information_type: str | None = None
    content_type_specification: str | None = None
    system_type: str | None = None
    archival_name: str | None = None
    appraisal: str | None = None
    access_restrict: str | None = None
    information_class: str | None = None
    agreement_form: str | None = None
    previous_submission_agreement: str | None = None
    previous_reference_code: str | None = None
    producer: Agent = field(default_factory=Agent)
    ipowner: Agent = field(default_factory=Agent)

    def over(self, base: PackageSettings) -> PackageSettings:
        """Return ``base`` with every fact given here replacing it (a config over a profile)."""
        values: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(base, name)
            if isinstance(mine, Agent) and isinstance(theirs, Agent):
                values[name] = Agent(mine.name or theirs.name, mine.id or theirs.id)
            elif isinstance(mine, dict):
                values[name] = {**theirs, **mine}
            else:
                values[name] = mine if mine not in (None, "") else theirs
        return PackageSettings(**values)

    def merged(self, **overrides: Any) -> PackageSettings:
        """Return a copy where every non-empty override replaces the configured value."""
        values = {k: v for k, v in overrides.items() if v not in (None, "")}
        for key, value in values.items():
            bad = xml_unsafe(value) if isinstance(value, str) else None
            if bad is not None:
                msg = f"holds the control character U+{ord(bad):04X}, which XML cannot hold"
                raise InputError(msg, [error("config", msg, param=key)])
        sub = self.submitter
        if "submitter_name" in values or "submitter_id" in values:
            sub = Agent(values.pop("submitter_name", sub.name), values.pop("submitter_id", sub.id))
        return replace(self, submitter=sub, **values)


def _fail(file: str, message: str, path: str) -> InputError:
    shown = f"{path}: {message}"  # findings are shown without their path: name the key here
    finding = error("config", shown, file=None if file == "(option)" else file, path=path)
    return InputError(f"{file}: {shown}", [finding])


def _check_chars(text: str, file: str, path: str) -> None:
    """Refuse characters XML cannot hold (control characters other than tab and line breaks)."""
    bad = xml_unsafe(text)
    if bad is not None:
        raise _fail(
            file, f"holds the control character U+{ord(bad):04X}, which XML cannot hold", path
        )


def _text(value: Any, file: str, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _fail(file, "must be a text value", path)
    _check_chars(str(value), file, path)
    return str(value).strip() or None


def _agent(value: Any, file: str, path: str) -> Agent:
    if value is None:
        return Agent()
    if not isinstance(value, dict):
        raise _fail(file, "must be a mapping with name and id", path)
    unknown = sorted(set(value) - set(AGENT_KEYS))
    if unknown:
        raise _fail(file, f"unknown key(s) {', '.join(map(str, unknown))}", path)
    return Agent(
        _text(value.get("name"), file, f"{path}.name"), _text(value.get("id"), file, f"{path}.id")
    )


def load_settings(path: str | Path | None) -> PackageSettings:
    """Read a package config file (YAML); an absent path gives empty settings."""
    if path is None:
        return PackageSettings()
    file = str(path)
    if not Path(path).is_file():
        raise _fail(file, "not a regular file", "(file)")
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise cannot_read(file, exc) from None
    except UnicodeDecodeError:
        raise _fail(file, "not UTF-8 text", "(file)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        where = f"line {line}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        message = f"not a valid YAML file: {where}{problem}"
        raise InputError(
            f"{file}: {message}", [error("config", message, file=file, line=line)]
        ) from None
    if data is None:
        return PackageSettings()
    if not isinstance(data, dict):
        raise _fail(file, "the config must be a mapping of keys", "(file)")
    unknown = sorted(set(map(str, data)) - set(CONFIG_KEYS))
    if unknown:
        raise _fail(
            file,
            f"unknown key(s) {', '.join(unknown)}; known: {', '.join(CONFIG_KEYS)}",
            unknown[0],
        )
    creators = data.get("archival_creators") or {}
    if not isinstance(creators, dict):
        raise _fail(
            file, "must map a records creator (key or name) to its code", "archival_creators"
        )
    codes: dict[str, str] = {}
    for key, value in creators.items():
        code = _text(value, file, f"archival_creators.{key}")
        if code:
            codes[str(key)] = code
    profile = _text(data.get("profile"), file, "profile")
    if profile is not None and profile not in PROFILES:
        raise _fail(
            file, f"'{profile}' is not a package profile ({', '.join(PROFILES)})", "profile"
        )
    extra: dict[str, Any] = {key: _text(data.get(key), file, key) for key in TEXT_KEYS_12}
    extra.update({key: _agent(data.get(key), file, key) for key in AGENT_KEYS_12})
    return PackageSettings(
        profile=profile,
        **extra,
        submission_agreement=_text(data.get("submission_agreement"), file, "submission_agreement"),
        reference_code=_text(data.get("reference_code"), file, "reference_code"),
        label=_text(data.get("label"), file, "label"),
        objid=_text(data.get("objid"), file, "objid"),
        submitter=_agent(data.get("submitter"), file, "submitter"),
        archival_creators=codes,
        preservation=_agent(data.get("preservation"), file, "preservation"),
    )
