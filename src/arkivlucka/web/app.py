"""Workbench stage, the application: routes that call the library and render its answers.

The pieces every page shares: settings, rendering, the error page, posted forms (the
application itself is built by ``web.routes.create_app``). Each view parses the
request, calls one library function, and renders the result or the error's findings; the
filing steps are in ``web.filing``. Every route is behind ``security.TokenGuard``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.web import security
from arkivlucka.web.i18n import DEFAULT, LANGUAGES

if TYPE_CHECKING:
    import jinja2
    from starlette.requests import Request
    from starlette.responses import Response

    from arkivlucka.core.context import RunContext
    from arkivlucka.delivery.workspace import Workspace
    from arkivlucka.retention.schedule import Plan

HERE = Path(__file__).parent
MAX_UPLOAD = 20 * 1024 * 1024
PLAN_NAMES = ("dokumenthanteringsplan.csv", "dokumenthanteringsplan.xlsx")


@dataclass
class Settings:
    """What one workbench server works with."""

    workspace: Workspace
    token: str
    context: Callable[[], RunContext]
    plan_path: Path | None = None
    max_upload: int = MAX_UPLOAD
    register: str | None = None
    envs: dict[str, jinja2.Environment] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        """The CSRF token of every form."""
        return security.csrf_token(self.token)

    def plan(self) -> Plan | None:
        """The retention schedule, read afresh (it may be edited while the server runs)."""
        path = self.plan_path or next(
            (self.workspace.root / n for n in PLAN_NAMES if (self.workspace.root / n).is_file()),
            None,
        )
        if path is None:
            return None
        from arkivlucka.retention.schedule import read_plan

        return read_plan(path)


def make_envs() -> dict[str, jinja2.Environment]:
    """One Jinja2 environment per page language (autoescaped, our templates)."""
    import jinja2

    from arkivlucka.web.i18n import catalog

    out = {}
    for lang in LANGUAGES:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
        )
        env.install_gettext_translations(catalog(lang), newstyle=True)  # type: ignore[attr-defined]
        out[lang] = env
    return out


def language(request: Request) -> str:
    """The page language: the ``lang`` cookie, else Swedish."""
    lang = request.cookies.get("lang", DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def render(request: Request, template: str, status: int = 200, **values: Any) -> Response:
    """Render ``template`` in the request's language with the common values."""
    from starlette.responses import HTMLResponse

    return HTMLResponse(render_text(request, template, **values), status_code=status)


def render_text(request: Request, template: str, **values: Any) -> str:
    """``template`` rendered in the request's language, as text."""
    from arkivlucka.web import fields, i18n

    settings: Settings = request.app.state.settings
    lang = language(request)
    trans = i18n.catalog(lang)
    env = settings.envs[lang]

    def finding(f: Any) -> str:
        return i18n.finding_text(f, trans, fields.LABELS)

    def where(path: str | None) -> str:
        return i18n.field_label(path, trans, fields.LABELS)

    return env.get_template(template).render(
        lang=lang, csrf=settings.csrf, finding=finding, where=where,
        severity=lambda f: i18n.severity_text(f, trans), path=request.url.path, **values,
    )  # fmt: skip


def failure(request: Request, exc: ArkivluckaError, status: int = 400) -> Response:
    """An error page listing the error's findings."""
    return render(request, "error.html", status, error=exc, findings=exc.findings)


async def posted(
    request: Request, max_size: int = 1024 * 1024, max_fields: int = 200
) -> dict[str, Any]:
    """The posted form, refused (403) without the CSRF token."""
    from starlette.exceptions import HTTPException

    settings: Settings = request.app.state.settings
    form = await request.form(max_files=1, max_fields=max_fields, max_part_size=max_size)
    values: dict[str, Any] = dict(form)
    if not security.same(values.get("csrf") if isinstance(values.get("csrf"), str) else None,
                         settings.csrf):  # fmt: skip
        raise HTTPException(403, "Forbidden: the form has no valid CSRF token.")
    return values
