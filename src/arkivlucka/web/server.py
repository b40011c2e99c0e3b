"""Workbench stage, server: bind 127.0.0.1, print the address with its token, serve.

``Server`` runs the application in a thread (the tests and the benchmark use it); ``run``
serves in the foreground until interrupted (``arkivlucka serve``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from arkivlucka.core.context import RunContext

HOST = "127.0.0.1"


def context_factory(by_role: str | None) -> Callable[[], RunContext]:
    """A fresh ``RunContext`` per action: now, this version, the role given."""

    def make() -> RunContext:
        from arkivlucka.core.context import default_version, resolve_created

        return RunContext(created=resolve_created(None), tool_version=default_version(),
                          by_role=by_role)  # fmt: skip

    return make


class Server:
    """The workbench on 127.0.0.1 in a background thread; ``url`` carries the token."""

    def __init__(self, app: Any, port: int = 0) -> None:
        """Bind the socket now (port 0: a free one); serve after ``start``."""
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, port))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)  # fmt: skip

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The address to open, with the token."""
        return f"{self.base}/?token={self.app.state.settings.token}"

    def start(self) -> Server:
        """Serve in the background; return when it answers."""
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def run(
    workspace: Path, port: int, *, plan: Path | None = None, register: str | None = None,
    by_role: str | None = None, open_browser: bool = True, announce: Callable[[str], None] = print,
) -> None:  # fmt: skip
    """Serve the workbench for ``workspace`` until interrupted."""
    from arkivlucka.web.routes import create_app

    app = create_app(workspace, context_factory(by_role), plan=plan, register=register)
    server = Server(app, port)
    announce(server.url)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, [server.url]).start()
    server.server.run(sockets=[server.sock])
