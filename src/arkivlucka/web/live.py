"""Workbench stage, live review: the findings and preview of the unsaved edits, and sources.

``live`` answers the page's own script (``static/live.js``): it takes the review form's
current values (with the CSRF token), reviews the incident with the edits they make applied
in memory (``review_snapshot``, ``incident.tree_edit``; nothing is written), makes
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

    from arkivlucka.core.findings import Finding
    from arkivlucka.entries.review import Review
    from arkivlucka.form.provenance import FieldSource

#: the most fields one live update may post (every input of a review with ~3000 lost records)
LIVE_FIELDS = 20_000
#: how many forms' lines are kept in memory
KEPT_FORMS = 64
_FORM_LINES: dict[tuple[str, int, int], tuple[str, ...]] = {}


def remember_form_lines(path: Path, lines: Sequence[str]) -> None:
    """Keep the lines of the form at ``path`` (read at import), so review needs no re-read."""
    st = path.stat()
    _keep((str(path), st.st_mtime_ns, st.st_size), tuple(lines))


def _keep(key: tuple[str, int, int], lines: tuple[str, ...]) -> None:
    """Remember ``lines``; the oldest forms are forgotten past ``KEPT_FORMS``."""
    _FORM_LINES[key] = lines
    while len(_FORM_LINES) > KEPT_FORMS:
        del _FORM_LINES[next(iter(_FORM_LINES))]


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
            _keep(key, tuple(read_form(path.read_bytes(), path.name).lines))
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
    from arkivlucka.entries.review import review_snapshot
    from arkivlucka.incident.edit import read_snapshot
    from arkivlucka.incident.yamlread import parse_text
    from arkivlucka.incident.yamltree import plain

    snap = read_snapshot(settings.workspace.incident(name))
    data = plain(parse_text(snap.text, snap.file))
    data = data if isinstance(data, dict) else {}
    text = {k: v for k, v in values.items() if isinstance(v, str)}
    edits = fields.edits_from_post(fields.all_fields(data), text, data)
    changed = str(values.get("sha", "")) != snap.sha256
    return review_snapshot(snap, settings.plan(), edits), changed


async def live(request: Request) -> Response:
    """The findings and preview of the posted (unsaved) values, as a page fragment."""
    from arkivlucka.entries.review import preview_entries

    settings: Settings = request.app.state.settings
    name = request.path_params["name"]
    values = await posted(request, max_fields=LIVE_FIELDS)
    try:
        review, changed = edited_review(settings, name, values)
    except ArkivluckaError as exc:
        return render(request, "live.html", 400, name=name, review=None, creators=[],
                      notes=exc.findings, changed=False, anchor=_anchor(()))  # fmt: skip
    creators: list[Any] = []
    notes: list[Finding] = []
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
