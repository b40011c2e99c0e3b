"""Workbench stage, the routes: the Starlette application of one workspace (``create_app``).

Every route is behind ``security.TokenGuard``; the views are in ``web.views`` and the filing
steps in ``web.filing``, which share ``web.app``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arkivlucka.web import security
from arkivlucka.web.app import HERE, MAX_UPLOAD, Settings, make_envs

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from arkivlucka.core.context import RunContext


def create_app(
    workspace: str | Path,
    context: Callable[[], RunContext],
    *,
    token: str | None = None,
    plan: str | Path | None = None,
    max_upload: int = MAX_UPLOAD,
    register: str | None = None,
) -> Any:
    """The workbench application for ``workspace``, guarded by ``token`` (random if None)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from arkivlucka.delivery.workspace import Workspace
    from arkivlucka.web import filing, live, views

    settings = Settings(
        Workspace(workspace), token or security.new_token(), context,
        Path(plan) if plan else None, max_upload, register, make_envs(),
    )  # fmt: skip
    routes = [
        Route("/", views.start),
        Route("/lang/{lang}", views.set_language),
        Route("/import", views.import_page, methods=["GET", "POST"]),
        Route("/i/{name}", views.review),
        Route("/i/{name}/save", views.save, methods=["POST"]),
        Route("/i/{name}/proposal", views.proposal, methods=["POST"]),
        Route("/i/{name}/creator", views.add_creator, methods=["POST"]),
        Route("/i/{name}/plan", views.choose_plan, methods=["POST"]),
        Route("/i/{name}/preview", views.preview),
        Route("/i/{name}/live", live.live, methods=["POST"]),
        Route("/i/{name}/file", filing.file_page),
        Route("/i/{name}/file/{step}", filing.file_step, methods=["POST"]),
        Route("/i/{name}/download/{what}", filing.download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app: Starlette = Starlette(routes=routes)
    app.state.settings = settings
    app.add_middleware(security.TokenGuard, token=settings.token, max_body=max_upload + 2**16)
    return app
