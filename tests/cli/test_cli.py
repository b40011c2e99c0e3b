"""The command-line layer as a whole: help, version, python -m, documented commands."""

from __future__ import annotations

import subprocess
import sys

from arkivlucka.cli import COMMANDS, cli
from support.clidocs import DOC, render
from support.helpers import python_says


def test_help_lists_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name}" in result.stdout
    assert "Exit codes" in result.stdout


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "version" in result.stdout


def test_unknown_command_is_a_usage_error(runner):
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_python_dash_m_works():
    proc = subprocess.run(
        [sys.executable, "-m", "arkivlucka", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "describe" in proc.stdout


def test_help_does_not_import_heavy_modules():
    code = (
        "import atexit, sys; from arkivlucka.cli import main; sys.argv=['arkivlucka','--help']\n"
        "atexit.register(lambda: print(sorted(m for m in ('lxml','yaml','openpyxl','pypdf',"
        "'docx','xmlschema') if m in sys.modules)))\n"
        "main()\n"
    )
    said = python_says(code)
    assert said.strip().splitlines()[-1] == "[]"


def test_docs_match_help():
    assert DOC.read_text(encoding="utf-8") == render(), "docs/cli.md is stale: run `make cli-docs`"
