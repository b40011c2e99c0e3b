"""Fixtures for the workbench tests: a workspace, a live server, a headless browser, axe-core."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from support.helpers import SAMPLES

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TOKEN = "test-token-0123456789"


def fixed_context() -> Any:
    from arkivlucka.core.context import RunContext

    return RunContext(
        created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="1.0.0",
        by_role="kommunarkivarie",
    )  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "arbetsmapp"
    ws.mkdir()
    shutil.copyfile(SAMPLES / "digframe" / "dokumenthanteringsplan.csv",
                    ws / "dokumenthanteringsplan.csv")  # fmt: skip
    shutil.copyfile(SAMPLES / "digframe" / "arkivforteckning.xml", ws / "arkivforteckning.xml")
    return ws


class Live:
    """A running workbench: its base address, token, CSRF token and workspace."""

    def __init__(self, server: Any, workspace: Path) -> None:
        self.server = server
        self.workspace = workspace
        self.base = server.base
        self.url = server.url
        self.token = TOKEN
        self.csrf = server.app.state.settings.csrf


@pytest.fixture
def live(workspace: Path) -> Iterator[Live]:
    from arkivlucka.web.routes import create_app
    from arkivlucka.web.server import Server

    app = create_app(workspace, fixed_context, token=TOKEN, max_upload=512 * 1024)
    server = Server(app).start()
    try:
        yield Live(server, workspace)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe-core from its npm package, installed into a temporary folder (not the repository)."""
    where = tmp_path_factory.mktemp("axe")
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(where), "axe-core@4"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return (where / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any, axe_source: str) -> list[str]:
    """Run axe-core (WCAG 2.1 AA rules) on the page; its violations, one line each.

    axe-core is evaluated through the browser's devtools protocol: the pages' own
    Content-Security-Policy refuses inline scripts, as it should.
    """
    page.evaluate(axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    assert result["passes"], "axe-core ran no checks"
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in result["violations"]]
