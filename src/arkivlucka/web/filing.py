"""Workbench stage, filing: write the entries, merge into an inventory, package, verify, report.

Each step is a button that calls one library function (``describe``, ``merge_inventory`` –
first with ``dry_run`` to show the diff –, ``build_package``, ``verify_package``,
``write_report``) and shows its result and a download. Outputs go under the workspace's
``out/<name>/``; every path posted is confined to the workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arkivlucka.core.errors import ArkivluckaError, InputError
from arkivlucka.core.findings import error
from arkivlucka.web.app import Settings, failure, posted, render

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

STEPS = ("describe", "merge-preview", "merge", "package", "verify", "report")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _creators(settings: Settings, name: str) -> list[str]:
    entries = settings.workspace.entries_dir(name)
    return sorted(p.parent.name for p in entries.glob("*/arkivbeskrivning.xml"))


def _page_values(settings: Settings, name: str) -> dict[str, Any]:
    ws = settings.workspace
    ws.incident(name)
    creators = _creators(settings, name)
    return {
        "name": name,
        "creators": creators,
        "inventories": ws.files((".xml",)),
        "entries": [
            f"{c}/{f}" for c in creators for f in ("arkivbeskrivning.xml", "arkivforteckning.xml")
        ],
        "has_package": ws.package_path(name).is_file(),
        "reports": [c for c in creators if ws.report_path(name, c).is_file()],
        "result": None,
        "step": None,
    }


async def file_page(request: Request) -> Response:
    """The filing steps, each with its button, result and download."""
    try:
        values = _page_values(_settings(request), request.path_params["name"])
    except ArkivluckaError as exc:
        return failure(request, exc, 404)
    return render(request, "file.html", **values)


def _run(settings: Settings, name: str, step: str, form: dict[str, Any]) -> dict[str, Any]:
    """Run one filing step; return what the page shows of its result."""
    ws = settings.workspace
    incident = ws.incident(name)
    ctx = settings.context()
    if step == "describe":
        return _describe(settings, name, ctx)
    if step in ("merge-preview", "merge"):
        from arkivlucka.inventory.merge import merge_file

        inventory = ws.confine(str(form.get("inventory", "")), "inventory")
        creator = _creator(settings, name, form)
        entry = ws.entries_dir(name) / creator / "arkivforteckning.xml"
        report = merge_file(entry, inventory, dry_run=step == "merge-preview")
        return {"merge": report, "inventory": inventory.relative_to(ws.root).as_posix(),
                "creator": creator, "findings": report.findings}  # fmt: skip
    if step == "package":
        from arkivlucka.delivery.package import build_package

        built = build_package(incident, ws.entries_dir(name), ws.package_path(name), ctx,
                              form=ws.form_of(name), overwrite=True)  # fmt: skip
        return {"package": built, "findings": built.findings}
    if step == "verify":
        from arkivlucka.delivery.verify import verify_package

        checked = verify_package(ws.package_path(name))
        return {"verified": checked, "findings": checked.findings}
    if step == "report":
        from arkivlucka.report.render import write_report

        creator = _creator(settings, name, form)
        out = write_report(
            ws.entries_dir(name),
            creator,
            ws.report_path(name, creator),
            ctx,
            "html",
            overwrite=True,
        )  # fmt: skip  (the workbench's own copy)
        return {"report": out.relative_to(ws.root).as_posix(), "findings": []}
    msg = f"no filing step called {step!r}"
    raise InputError(msg, [error("no-such-step", msg, param="step")])


def _describe(settings: Settings, name: str, ctx: Any) -> dict[str, Any]:
    """Write the entries; with a register, take codes from it and record the incident in it."""
    ws = settings.workspace
    plan = settings.plan()
    plan_path = plan.file if plan else None
    if settings.register:
        from arkivlucka.register.pipeline import describe_recorded

        recorded = describe_recorded(ws.incident(name), ws.entries_dir(name), ctx,
                                     settings.register, plan_path, overwrite=True)  # fmt: skip
        result, extra = recorded.result, recorded.findings
    else:
        from arkivlucka.entries.describe import describe

        result = describe(ws.incident(name), ws.entries_dir(name), ctx, plan_path, overwrite=True)
        extra = []
    return {"written": [p.relative_to(ws.root).as_posix() for p in result.written],
            "findings": result.findings + extra}  # fmt: skip


def _creator(settings: Settings, name: str, form: dict[str, Any]) -> str:
    creator = str(form.get("creator", ""))
    if creator not in _creators(settings, name):
        msg = f"{creator or '(none)'}: no entries of that records creator; write the entries first"
        raise InputError(msg, [error("no-such-creator", msg, param="creator")])
    return creator


async def file_step(request: Request) -> Response:
    """Run the step named in the address and show the page with its result."""
    settings = _settings(request)
    name, step = request.path_params["name"], request.path_params["step"]
    form = await posted(request)
    try:
        result = _run(settings, name, step, form)
        status = 200
    except ArkivluckaError as exc:
        result, status = {"failed": exc, "findings": exc.findings}, 400
    try:
        values = _page_values(settings, name)
    except ArkivluckaError as exc:
        return failure(request, exc, 404)
    values.update(result=result, step=step)
    return render(request, "file.html", status, **values)


async def download(request: Request) -> Response:
    """A file made for the incident: incident, package, report, entry or inventory."""
    from starlette.responses import FileResponse

    settings = _settings(request)
    ws = settings.workspace
    name, what = request.path_params["name"], request.path_params["what"]
    query = request.query_params
    try:
        if what == "incident":
            path = ws.incident(name)
        elif what == "package":
            path = ws.package_path(name)
        elif what == "report":
            path = ws.report_path(name, query.get("creator", ""))
        elif what == "entry":
            rel = query.get("file", "")
            path = ws.confine(f"out/{name}/entries/{rel}", "file")
            if not path.is_relative_to(ws.entries_dir(name)):
                raise InputError(rel, [error("path-outside-workspace", rel, param="file")])
        elif what == "inventory":
            path = ws.confine(query.get("path", ""), "path")
        else:
            raise InputError(what, [error("no-such-download", what, param="what")])
    except ArkivluckaError as exc:
        return failure(request, exc, 403 if exc.findings[0].code.startswith("path") else 404)
    if not path.is_file():
        return failure(request, InputError("not there", [error("not-made-yet", path.name)]), 404)
    return FileResponse(path, filename=path.name)
