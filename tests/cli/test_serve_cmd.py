"""``arkivlucka serve``: starts on 127.0.0.1, prints the address with its token, serves it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx


def test_serve_prints_a_tokened_localhost_address_and_serves_it(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "arkivlucka", "serve", "--workspace", str(tmp_path / "ws"),
         "--port", "0", "--no-browser"],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]{40,})", line)
        assert found, line
        base, token = found.groups()
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert httpx.get(base + "/").status_code == 403
        with httpx.Client(base_url=base, follow_redirects=True) as c:
            page = c.get(f"/?token={token}")
            assert page.status_code == 200
            assert "Incidenter i arbetsmappen" in page.text
        assert (tmp_path / "ws").is_dir()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


def test_serve_rejects_a_bad_port(runner):
    from arkivlucka.cli import cli

    result = runner.invoke(cli, ["serve", "--port", "70000", "--no-browser"])
    assert result.exit_code == 2
