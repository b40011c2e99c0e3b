"""Workbench stage, live review: the findings and preview of the unsaved edits, and sources.

``live`` answers the page's own script (``static/live.js``): it takes the review form's
current values (with the CSRF token), applies the edits they make to the incident text in
memory (``apply_edits``; nothing is written), reviews that text (``review_snapshot``), makes
the entries (``preview_entries``) and returns the fragment the page swaps in. ``sources``
gives each field's certainty and the form's own words (``form.provenance``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.web import fields
from arkivlucka.web.app import Settings, posted, render

if TYPE_CHECKING:
    from collections.abc import Sequence

    from starlette.requests import Request
    from starlette.responses import Response

    from arkivlucka.entries.review import Review
    from arkivlucka.form.provenance import FieldSource

_FORM_LINES: dict[tuple[str, int, int], tuple[str, ...]] = {}


def remember_form_lines(path: Path, lines: Sequence[str]) -> None:
    """Keep the lines of the form at ``path`` (read at import), so review needs no re-read."""
    st = path.stat()
    _FORM_LINES[(str(path), st.st_mtime_ns, st.st_size)] = tuple(lines)


def form_lines(settings: Settings, name: str) -> tuple[str, ...] | None:
    """The text lines of the form incident ``name`` was imported from, or None if not kept.

    Read once per version of the form file (a scan is read by OCR, so this is kept).
    """
    path = settings.workspace.form_of(name)
    if path is None:
        return None
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _FORM_LINES:
        from arkivlucka.form.read import read_form

        try:
            _FORM_LINES[key] = tuple(read_form(path.read_bytes(), path.name).lines)
        except ArkivluckaError:
            return None
    return _FORM_LINES[key]


def sources(settings: Settings, name: str, review: Review) -> dict[str, FieldSource]:
    """Every shown field's and item's certainty and the form's words (``field_sources``)."""
    from arkivlucka.form.provenance import field_sources

    paths = [f.path for f in fields.all_fields(review.data)]
    for section in ("lost_records", "systems", "extracts"):
        items = review.data.get(section)
        paths += [f"{section}[{i}]" for i in range(len(items) if isinstance(items, list) else 0)]
    return field_sources(review.snapshot.text, review.data, paths, form_lines(settings, name))


def edited_review(settings: Settings, name: str, values: dict[str, Any]) -> tuple[Review, bool]:
    """The review of incident ``name`` with the posted, unsaved field values applied.

    Also whether the file changed on disk since the page was loaded (the posted ``sha``).
    """
    from arkivlucka.entries.review import review_incident, review_snapshot
    from arkivlucka.incident.edit import Snapshot, apply_edits

    path = settings.workspace.incident(name)
    current = review_incident(path, None)
    text = {k: v for k, v in values.items() if isinstance(v, str)}
    edits = fields.edits_from_post(fields.all_fields(current.data), text, current.data)
    snap = current.snapshot
    if edits:
        snap = Snapshot(snap.file, apply_edits(snap.text, edits, snap.file), snap.sha256)
    changed = str(values.get("sha", "")) != current.snapshot.sha256
    return review_snapshot(snap, settings.plan()), changed


async def live(request: Request) -> Response:
    """The findings and preview of the posted (unsaved) values, as a page fragment."""
    from arkivlucka.entries.review import preview_entries

    settings: Settings = request.app.state.settings
    name = request.path_params["name"]
    values = await posted(request)
    try:
        review, changed = edited_review(settings, name, values)
    except ArkivluckaError as exc:
        return render(request, "live.html", 400, name=name, review=None, creators=[],
                      notes=exc.findings, changed=False, anchor=_anchor(()))  # fmt: skip
    creators: list[Any] = []
    notes = []
    if review.loaded is not None:
        try:
            creators, notes = preview_entries(review.loaded, settings.context(), settings.plan())
        except ArkivluckaError as exc:
            notes = list(exc.findings)
    shown = fields.all_fields(review.data)
    return render(request, "live.html", name=name, review=review, creators=creators,
                  notes=notes, changed=changed, anchor=_anchor(shown))  # fmt: skip


def _anchor(shown: tuple[fields.Field, ...]) -> Any:
    return lambda p: fields.anchor_for(p, shown)
