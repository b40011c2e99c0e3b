"""The console entry leaves at once when done: exit codes, output, exit handlers and threads kept."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from arkivlucka.cli import leave

PROBE = """
import atexit, sys
from arkivlucka.cli import main
sys.argv = ["arkivlucka", *sys.argv[1:]]
atexit.register(lambda: print("HANDLER RAN", file=sys.stderr))
main()
"""


def console(*args: str, probe: str = PROBE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("args", "code"),
    [(("--help",), 0), (("validate",), 2), (("no-such-command",), 2), (("validate", "BAD"), 1)],
    ids=["ok", "usage-missing-argument", "usage-unknown-command", "invalid-document"],
)
def test_exit_codes_are_kept_and_exit_handlers_run(tmp_path: Path, args, code) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<ArkivbeskrivningPost xmlns="urn:arkivlucka:arkivredovisning:1.0"/>')
    done = console(*(str(bad) if a == "BAD" else a for a in args))
    assert done.returncode == code, done.stderr
    assert done.stderr.rstrip().endswith("HANDLER RAN")
    if code == 1:
        assert "[xml-schema]" in done.stderr


def test_large_output_through_a_pipe_is_complete(tmp_path: Path) -> None:
    """Everything buffered is written before the process goes (the JSON parses whole)."""
    docs = []
    for n in range(300):
        doc = tmp_path / f"doc-{n:03d}-{'x' * 60}.xml"
        doc.write_bytes(b'<ArkivbeskrivningPost xmlns="urn:arkivlucka:arkivredovisning:1.0"/>')
        docs.append(str(doc))
    done = console("validate", "--json", *docs)
    assert done.returncode == 1
    findings = json.loads(done.stdout)  # a list of findings, 64 KB and more of it
    assert len(done.stdout) > 1 << 16
    assert {Path(f["file"]).name for f in findings} == {Path(d).name for d in docs}


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    """With another thread at work the exit is the normal one, which lets it finish."""
    mark = tmp_path / "finished"
    probe = (
        "import sys, threading, time\n"
        "from pathlib import Path\n"
        "from arkivlucka.cli import main\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        f"    Path({str(mark)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()\n"
        "sys.argv = ['arkivlucka', '--help']\n"
        "main()\n"
    )
    done = console(probe=probe)
    assert done.returncode == 0, done.stderr
    assert mark.read_text() == "done"


def test_leave_falls_back_to_the_normal_exit_with_another_thread() -> None:
    go = threading.Event()
    other = threading.Thread(target=go.wait)
    other.start()
    try:
        with pytest.raises(SystemExit) as raised:
            leave(3)
        assert raised.value.code == 3
    finally:
        go.set()
        other.join()


def test_leave_gives_an_exit_message_to_the_normal_exit() -> None:
    with pytest.raises(SystemExit) as raised:
        leave("stopped: the disk is full")
    assert raised.value.code == "stopped: the disk is full"


def test_a_reader_gone_during_the_command_is_clicks_quiet_exit_1() -> None:
    probe = (
        "import os, sys\n"
        "from arkivlucka.cli import main\n"
        "sys.argv = ['arkivlucka', '--help']\n"
        "r, w = os.pipe()\n"
        "os.close(r)\n"
        "sys.stdout = os.fdopen(w, 'w')\n"
        "main()\n"
    )
    done = console(probe=probe)
    assert (done.returncode, done.stderr) == (1, "")


def test_output_that_cannot_be_flushed_gets_the_normal_exit() -> None:
    """Output still buffered when the reader has gone: Python's usual report (exit 120), and
    the exit handlers are not run twice."""
    probe = (
        "import atexit, os, sys\n"
        "from arkivlucka.cli import main\n"
        "sys.argv = ['arkivlucka', '--version']\n"
        "def late():\n"
        "    print('HANDLER RAN', file=sys.stderr)\n"
        "    r, w = os.pipe()\n"
        "    os.close(r)\n"
        "    sys.stdout = os.fdopen(w, 'w')\n"
        "    print('buffered, never to be read')\n"
        "atexit.register(late)\n"
        "main()\n"
    )
    done = console(probe=probe)
    assert done.returncode == 120
    assert "BrokenPipeError" in done.stderr
    assert done.stderr.count("HANDLER RAN") == 1


def test_the_interpreter_is_not_taken_apart_after_a_command() -> None:
    """What saves the time: objects still alive at the end are not finalised one by one."""
    probe = (
        "import sys\n"
        "from arkivlucka.cli import main\n"
        "class Kept:\n"
        "    def __del__(self):\n"
        "        print('FINALISED', file=sys.stderr)\n"
        "kept = Kept()\n"
        "sys.argv = ['arkivlucka', '--help']\n"
        "main()\n"
    )
    done = console(probe=probe)
    assert done.returncode == 0
    assert "FINALISED" not in done.stderr
    assert "Usage: arkivlucka" in done.stdout
