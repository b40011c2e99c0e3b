"""Delivery stage, workspace: one folder holding an archivist's incidents and what was made.

Layout (every name is made by arkivlucka, never taken from an upload)::

    WORKSPACE/<name>.yaml                the incident file (the one source of truth)
    WORKSPACE/forms/<name>.<txt|pdf|docx> the form it was imported from
    WORKSPACE/out/<name>/entries/        the entries per records creator (describe)
    WORKSPACE/out/<name>/package.zip     the e-archive package
    WORKSPACE/out/<name>/rapport-<creator>.html  the printable report

Every path a caller names is resolved inside the workspace (``confine``); one outside it,
through ``..`` or a link, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.core.errors import InputError, OptionError
from arkivlucka.core.findings import error

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
FORM_KINDS = ("txt", "pdf", "docx")
STATES = ("imported", "needs-review", "ready", "described", "packaged")


@dataclass(frozen=True)
class IncidentStatus:
    """Where one incident of the workspace stands, with what is still open."""

    name: str
    title: str
    state: str  # one of STATES
    open_proposals: int
    missing_facts: int
    errors: int


class Workspace:
    """The folder of incidents the workbench works in."""

    def __init__(self, root: str | Path) -> None:
        """Open the workspace at ``root`` (created if missing)."""
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def confine(self, relative: str, param: str = "path") -> Path:
        """``relative`` resolved inside the workspace; ``InputError`` if it leads outside."""
        target = (self.root / relative).resolve()
        if relative.startswith(("/", "\\")) or not target.is_relative_to(self.root):
            msg = f"{relative}: outside the workspace {self.root}"
            raise InputError(msg, [error("path-outside-workspace", msg, param=param)])
        return target

    def names(self) -> list[str]:
        """The incidents of the workspace, by name, sorted."""
        return sorted(p.stem for p in self.root.glob("*.yaml") if NAME.match(p.stem))

    def incident(self, name: str) -> Path:
        """The incident file called ``name``; ``OptionError`` when there is none."""
        if not NAME.match(name) or not (self.root / f"{name}.yaml").is_file():
            raise OptionError(f"no incident called {name!r} in the workspace", param="name")
        return self.confine(f"{name}.yaml", "name")

    def out(self, name: str) -> Path:
        """The folder of what was made for incident ``name``."""
        return self.confine(f"out/{name}", "name")

    def entries_dir(self, name: str) -> Path:
        """Where the entries of incident ``name`` are written."""
        return self.out(name) / "entries"

    def package_path(self, name: str) -> Path:
        """Where the package of incident ``name`` is written."""
        return self.out(name) / "package.zip"

    def report_path(self, name: str, creator_key: str) -> Path:
        """Where the report of one records creator of incident ``name`` is written."""
        if not NAME.match(creator_key):
            raise OptionError(f"not a records creator key: {creator_key!r}", param="creator")
        return self.out(name) / f"rapport-{creator_key}.html"

    def form_of(self, name: str) -> Path | None:
        """The form incident ``name`` was imported from, when it is kept here."""
        for kind in FORM_KINDS:
            p = self.root / "forms" / f"{name}.{kind}"
            if p.is_file():
                return p
        return None

    def files(self, suffixes: tuple[str, ...], under: str = "") -> list[str]:
        """Files in the workspace (relative, sorted) with one of ``suffixes``, outside ``out/``."""
        base = self.confine(under or ".")
        found = []
        for p in base.rglob("*"):
            rel = p.relative_to(self.root).as_posix()
            if p.is_file() and p.suffix.lower() in suffixes and not rel.startswith("out/"):
                found.append(rel)
        return sorted(found)

    def new_name(self, data: dict[str, object]) -> str:
        """A new incident name from what the form says (date and organisation), unique."""
        from arkivlucka.core.text import slug

        when = data.get("discovered") or data.get("occurred")
        day = str(when.get("at", ""))[:10] if isinstance(when, dict) else ""
        base = slug(f"{day} {data.get('organisation') or ''}") or "incident"
        name, n = base, 2
        while (self.root / f"{name}.yaml").exists() or self.form_of(name):
            name, n = f"{base}-{n}", n + 1
        return name

    def status(self, name: str) -> IncidentStatus:
        """The state of incident ``name``: imported, needs review, ready, described, packaged."""
        from arkivlucka.entries.review import review_incident

        review = review_incident(self.incident(name))
        title = str(review.data.get("summary") or review.data.get("organisation") or name)
        proposals, missing = len(review.proposals), len(review.missing)
        errors = len(review.errors)
        state = "ready"
        changed = self.incident(name).stat().st_mtime
        made = [p.stat().st_mtime for p in self.entries_dir(name).glob("*/arkivbeskrivning.xml")]
        # entries (and a package) made before the file last changed are out of date
        if made and min(made) >= changed and self.package_path(name).is_file():
            state = "packaged"
        elif made and min(made) >= changed:
            state = "described"
        elif review.data.get("records_creators") is None and proposals and review.sources:
            state = "imported"
        elif proposals or errors:
            state = "needs-review"
        return IncidentStatus(name, title[:120], state, proposals, missing, errors)
