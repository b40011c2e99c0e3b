"""Workbench stage, views: start, import, review (and its saves) and preview.

Each view calls the library (``Workspace``, ``review_incident``, ``save_edits``,
``import_form_bytes``, ``preview_entries``) and renders; a file changed on disk since the
page read it is shown with the archivist's unsaved values, never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arkivlucka.core.errors import ArkivluckaError, InputError
from arkivlucka.core.findings import error
from arkivlucka.web import fields
from arkivlucka.web.app import Settings, failure, posted, render, render_text
from arkivlucka.web.security import BodyTooLarge

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from arkivlucka.incident.edit import Edit


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _see(url: str) -> Response:
    from starlette.responses import RedirectResponse

    return RedirectResponse(url, status_code=303)


async def start(request: Request) -> Response:
    """The incidents of the workspace (and of the register) with their state."""
    ws = _settings(request).workspace
    rows, problems = [], []
    for name in ws.names():
        try:
            rows.append(ws.status(name))
        except ArkivluckaError as exc:
            problems.append((name, exc))
    recorded: list[Any] = []
    reg = _settings(request).register
    if reg:
        from arkivlucka.register.service import incident_states

        try:
            recorded, _ = incident_states(reg)
        except ArkivluckaError as exc:
            problems.append(("register", exc))
    return render(request, "start.html", rows=rows, problems=problems, recorded=recorded)


async def set_language(request: Request) -> Response:
    """Switch the page language (a cookie) and go back to the start page."""
    lang = request.path_params["lang"]
    response = _see("/")
    if lang in ("sv", "en"):
        response.set_cookie("lang", lang, httponly=True, samesite="strict")
    return response


async def import_page(request: Request) -> Response:
    """Upload a form or pick one in the workspace; the result opens in review."""
    ws = _settings(request).workspace
    forms = ws.files((".txt", ".pdf", ".docx"))
    if request.method == "GET":
        return render(request, "import.html", forms=forms)
    settings = _settings(request)
    length = int(request.headers.get("content-length") or 0)
    if length > settings.max_upload + 64 * 1024:
        return _too_large(request, settings.max_upload)
    try:
        values = await posted(request, settings.max_upload)
    except BodyTooLarge:
        return _too_large(request, settings.max_upload)
    try:
        data = await _form_bytes(request, values)
        if "text/html" in request.headers.get("accept", ""):
            from starlette.responses import StreamingResponse

            return StreamingResponse(_reading(request, settings, data), media_type="text/html")
        name = import_into(settings, data)
    except ArkivluckaError as exc:
        return render(request, "import.html", 400, forms=forms, findings=exc.findings)
    return _see(f"/i/{name}")


async def _reading(request: Request, settings: Settings, data: bytes) -> Any:
    """A browser's import: the page says it is reading at once, then opens the review.

    The form is read in a worker thread; the page is sent in two parts, so the browser shows
    the progress while it waits and goes on to the review when it is read (no JavaScript).
    """
    from starlette.concurrency import run_in_threadpool

    yield render_text(request, "reading.html", part="start")
    try:
        name = await run_in_threadpool(import_into, settings, data)
    except ArkivluckaError as exc:
        yield render_text(request, "reading.html", part="failed", findings=exc.findings)
        return
    yield render_text(request, "reading.html", part="done", name=name)


def _too_large(request: Request, cap: int) -> Response:
    msg = f"the upload is larger than {cap // 1024} KiB"
    return failure(request, InputError(msg, [error("upload-too-large", msg, param="form")]), 413)


async def _form_bytes(request: Request, values: dict[str, Any]) -> bytes:
    from arkivlucka.web.security import upload_kind

    settings = _settings(request)
    upload = values.get("form")
    if upload is not None and hasattr(upload, "read") and getattr(upload, "filename", None):
        data: bytes = await upload.read(settings.max_upload + 1)
        if len(data) > settings.max_upload:
            msg = f"the upload is larger than {settings.max_upload // 1024} KiB"
            raise InputError(msg, [error("upload-too-large", msg, param="form")])
    elif values.get("pick"):
        path = settings.workspace.confine(str(values["pick"]), "pick")
        data = path.read_bytes()[: settings.max_upload + 1]
    else:
        msg = "choose a form to upload or one in the workspace"
        raise InputError(msg, [error("upload-missing", msg, param="form")])
    if upload_kind(data) is None:
        msg = "not a text, PDF or Word (.docx) form (checked by its content)"
        raise InputError(msg, [error("upload-wrong-type", msg, param="form")])
    return data


def import_into(settings: Settings, data: bytes) -> str:
    """Import a form's bytes into a new incident of the workspace; return its name."""
    from arkivlucka.files.write import atomic_write
    from arkivlucka.form.pipeline import import_text
    from arkivlucka.form.read import read_form
    from arkivlucka.web.live import remember_form_lines
    from arkivlucka.web.security import upload_kind

    ws = settings.workspace
    kind = upload_kind(data) or "txt"
    form = read_form(data, f"form.{kind}")
    result = import_text(form, f"form.{kind}")
    name = ws.new_name(result.data)
    kept = atomic_write(ws.root / "forms" / f"{name}.{kind}", data)
    remember_form_lines(kept, form.lines)  # the review shows the form's words without re-reading
    result.file = f"{name}.{kind}"
    atomic_write(ws.root / f"{name}.yaml", result.render("yaml").encode("utf-8"))
    return name


def _review_values(settings: Settings, name: str) -> dict[str, Any]:
    from arkivlucka.entries.review import review_incident

    path = settings.workspace.incident(name)
    plan = settings.plan()
    review = review_incident(path, plan)

    def count(key: str) -> int:
        items = review.data.get(key)
        return len(items) if isinstance(items, list) else 0

    from arkivlucka.web.live import sources

    record_fields = [fields.lost_record_fields(i) for i in range(count("lost_records"))]
    shown = fields.all_fields(review.data)
    return {
        "system_fields": [fields.system_fields(i) for i in range(count("systems"))],
        "extract_fields": [fields.extract_fields(i) for i in range(count("extracts"))],
        "anchor": lambda p: fields.anchor_for(p, shown),
        "name": name,
        "review": review,
        "data": review.data,
        "fields": fields.INCIDENT_FIELDS,
        "record_fields": record_fields,
        "choices": fields.CHOICES,
        "value_at": fields.value_at,
        "plan": plan,
        "creators_known": _known_creators(settings),
        "registered": bool(settings.register),
        "src": sources(settings, name, review),
    }


def _known_creators(settings: Settings) -> list[Any]:
    """The register's records creators (none without a register, or when it cannot be read)."""
    if not settings.register:
        return []
    from arkivlucka.register.service import list_creators

    try:
        return list_creators(settings.register)
    except ArkivluckaError:
        return []


async def review(request: Request) -> Response:
    """Every field beside the form's words, the proposals, creators, periods and plan codes."""
    try:
        values = _review_values(_settings(request), request.path_params["name"])
    except ArkivluckaError as exc:
        return failure(request, exc, 404)
    return render(request, "review.html", **values)


async def _apply(request: Request, build: Any, anchor: str = "") -> Response:
    """Save the edits ``build(values, review)`` makes; show a conflict, never overwrite."""
    from arkivlucka.entries.review import review_incident
    from arkivlucka.incident.edit import FileChangedError, save_edits

    settings = _settings(request)
    name = request.path_params["name"]
    values = await posted(request)
    try:
        path = settings.workspace.incident(name)
        current = review_incident(path, None)
        edits: list[Edit] = build(values, current)
        if edits:
            save_edits(path, edits, str(values.get("sha", "")))
    except FileChangedError as exc:
        now = review_incident(path, None)
        unsaved = _differing(values, now.data)
        labels = {f.html_id: f.label for f in fields.all_fields(now.data)}
        return render(request, "conflict.html", 409, name=name, findings=exc.findings,
                      unsaved=unsaved, labels=labels, action=request.url.path,
                      current=now.snapshot)  # fmt: skip
    except ArkivluckaError as exc:
        return failure(request, exc)
    return _see(f"/i/{name}{anchor}")


def _differing(values: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The posted values that differ from the file as it is now (the archivist's changes).

    Fields that equal the file are left out, so applying them again cannot undo the other
    change; values that are not fields (a decision on a proposal) are all kept.
    """
    every = fields.all_fields(data)
    by_id = {f.html_id: f for f in every}
    text = {k: v for k, v in values.items() if isinstance(v, str)}
    changed = {e.path for e in fields.edits_from_post(every, text, data)}
    return {
        k: v
        for k, v in text.items()
        if k not in ("csrf", "sha") and (k not in by_id or by_id[k].path in changed)
    }


async def save(request: Request) -> Response:
    """Save the incident's fields or one lost record's fields."""

    def build(values: dict[str, Any], current: Any) -> list[Edit]:
        every = fields.all_fields(current.data)
        posted_text = {k: v for k, v in values.items() if isinstance(v, str)}
        return fields.edits_from_post(every, posted_text, current.data)

    return await _apply(request, build)


async def proposal(request: Request) -> Response:
    """Confirm or reject one proposal (``path`` names it, ``op`` says which)."""
    from arkivlucka.incident.edit import Edit

    def build(values: dict[str, Any], current: Any) -> list[Edit]:
        op, path = values.get("op"), str(values.get("path", ""))
        if op not in ("confirm", "reject") or path not in {p.path for p in current.proposals}:
            msg = f"{path}: not an open proposal"
            raise InputError(msg, [error("no-such-proposal", msg, param="path")])
        return [Edit(op, path)]

    return await _apply(request, build, "#proposals")


async def add_creator(request: Request) -> Response:
    """Add a records creator (arkivbildare) to the incident."""
    from arkivlucka.incident.edit import Edit

    settings = _settings(request)

    def build(values: dict[str, Any], current: Any) -> list[Edit]:
        item = {k: str(values.get(k, "")).strip() for k in ("name", "department", "code")}
        if not item["name"]:
            msg = "a records creator needs a name"
            raise InputError(msg, [error("creator-name-missing", msg, param="name")])
        known = _register_creator(settings, item["name"])
        if known is not None:  # chosen from the register: what the register knows fills in
            item["department"] = item["department"] or known.department or ""
            item["code"] = item["code"] or known.identification_code() or ""
            item["name"] = known.name
        elif settings.register and values.get("to_register"):
            from arkivlucka.register.model import Creator
            from arkivlucka.register.service import add_creators

            add_creators(settings.register, [Creator(item["name"], department=item["department"]
                                                     or None)])  # fmt: skip
        return [Edit("append", "records_creators", {k: v for k, v in item.items() if v})]

    return await _apply(request, build, "#creators")


def _register_creator(settings: Settings, name: str) -> Any:
    from arkivlucka.register.model import name_key

    return next((c for c in _known_creators(settings) if name_key(c.name) == name_key(name)), None)


async def choose_plan(request: Request) -> Response:
    """Choose the retention schedule row for one lost record."""
    from arkivlucka.entries.review import choose_plan_row

    settings = _settings(request)

    def build(values: dict[str, Any], current: Any) -> list[Edit]:
        plan = settings.plan()
        if plan is None:
            msg = "no retention schedule is loaded"
            raise InputError(msg, [error("plan-missing", msg, param="plan")])
        try:
            index, line = int(values.get("index", "")), int(values.get("line", ""))
        except ValueError:
            msg = "choose a row of the retention schedule"
            raise InputError(msg, [error("plan-row-missing", msg, param="line")]) from None
        return choose_plan_row(plan, index, line)

    return await _apply(request, build, "#lost-records")


async def preview(request: Request) -> Response:
    """The Swedish text and the entries of every records creator, as they will be written."""
    from arkivlucka.entries.review import preview_entries
    from arkivlucka.incident.load import load_incident

    settings = _settings(request)
    name = request.path_params["name"]
    try:
        loaded = load_incident(settings.workspace.incident(name))
        creators, notes = preview_entries(loaded, settings.context(), settings.plan())
    except ArkivluckaError as exc:
        return render(request, "preview.html", name=name, creators=[], findings=exc.findings)
    return render(request, "preview.html", name=name, creators=creators, findings=notes)
