"""The console entry leaves at once when done: exit codes, output, exit handlers and threads kept.

Each case runs the console entry (``arkivlucka.cli.main``) in a fresh interpreter: where the
fast exit is taken, the interpreter ends there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import atexit, sys
from arkivlucka.cli import main
sys.argv = ["arkivlucka", *sys.argv[1:]]
atexit.register(lambda: print("HANDLER RAN", file=sys.stderr))
main()
"""

#: an object alive at the end that says so when finalised: printed only by a normal exit
KEPT = """
import sys
class Kept:
    def __del__(self):
        print("FINALISED", file=sys.stderr)
kept = Kept()
"""


def console(*args: str, probe: str = PROBE) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ARKIVLUCKA_NORMAL_EXIT"}
    return subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, timeout=60
    )


def leaving(code: str, before: str = "", argv: str = "['arkivlucka', '--help']") -> str:
    """A probe: ``before``, then the console entry for ``argv``; ``code`` says what to do."""
    return f"{KEPT}\nimport sys\n{before}\nfrom arkivlucka.cli import main\nsys.argv = {argv}\n{code}\n"


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


def test_the_interpreter_is_not_taken_apart_after_a_command() -> None:
    """What saves the time: objects still alive at the end are not finalised one by one."""
    done = console(probe=leaving("main()"))
    assert done.returncode == 0
    assert "FINALISED" not in done.stderr
    assert "Usage: arkivlucka" in done.stdout


def test_output_still_buffered_is_written_before_the_process_goes() -> None:
    """Printed to a pipe without a flush (block-buffered), before and in an exit handler."""
    probe = leaving(
        "main()",
        before="import atexit\nprint('EARLY ' * 5000)\n"
        "atexit.register(lambda: print('FROM A HANDLER'))",
    )
    done = console(probe=probe)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("EARLY " * 5000)
    assert "Usage: arkivlucka" in done.stdout
    assert done.stdout.rstrip().endswith("FROM A HANDLER")


@pytest.mark.parametrize(
    "before",
    [
        "import threading, time\nthreading.Thread(target=time.sleep, args=(0.2,), daemon=True).start()",
        "import threading, time\nthreading.Thread(target=time.sleep, args=(0.2,)).start()",
        "import os\nos.environ['ARKIVLUCKA_NORMAL_EXIT'] = '1'",
    ],
    ids=["daemon-thread", "thread", "asked-for"],
)
def test_the_normal_exit_where_leaving_at_once_is_not_plainly_enough(before: str) -> None:
    done = console(probe=leaving("main()", before=before))
    assert done.returncode == 0, done.stderr
    assert "Usage: arkivlucka" in done.stdout
    assert "FINALISED" in done.stderr  # the interpreter was taken apart as usual


@pytest.mark.parametrize("hook", ["settrace", "setprofile"])
def test_a_tracer_or_profiler_around_the_program_gets_to_finish(hook: str) -> None:
    """As coverage and profilers run a program: inside their own try/finally."""
    probe = leaving(
        "try:\n    main()\nfinally:\n    print('SAVED', file=sys.stderr)",
        before=f"sys.{hook}(lambda *a: None)",
    )
    done = console(probe=probe)
    assert done.returncode == 0, done.stderr
    assert "SAVED" in done.stderr


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    mark = tmp_path / "finished"
    before = (
        "import threading, time\nfrom pathlib import Path\n"
        f"def late():\n    time.sleep(0.3)\n    Path({str(mark)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()"
    )
    done = console(probe=leaving("main()", before=before))
    assert done.returncode == 0, done.stderr
    assert mark.read_text() == "done"


def test_a_profiler_still_gets_to_report() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "arkivlucka", "--version"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "function calls" in done.stdout


@pytest.mark.parametrize(
    ("code", "status", "finalised"),
    [("3", 3, False), ("None", 0, False), ("True", 1, False), ("256 + 7", 7, True),
     ("-1", 255, True), ("2 ** 80", 255, True), ("'stopped: the disk is full'", 1, True)],
    ids=["int", "none", "true", "over-255", "negative", "huge", "message"],
)  # fmt: skip
def test_leave_gives_the_status_sys_exit_gives(code: str, status: int, finalised: bool) -> None:
    done = console(probe=leaving(f"from arkivlucka.cli import leave\nleave({code})"))
    assert done.returncode == status, done.stderr
    assert ("FINALISED" in done.stderr) is finalised
    if code.startswith("'"):
        assert "stopped: the disk is full" in done.stderr


def test_a_reader_gone_during_the_command_is_clicks_quiet_exit_1() -> None:
    before = "import os\nr, w = os.pipe()\nos.close(r)\nsys.stdout = os.fdopen(w, 'w')"
    done = console(probe=leaving("main()", before=before))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_output_that_cannot_be_flushed_gets_the_normal_exit() -> None:
    """Output still buffered when the reader has gone: Python's usual report (exit 120), and
    the exit handlers are not run twice."""
    before = (
        "import atexit, os\n"
        "def late():\n"
        "    print('HANDLER RAN', file=sys.stderr)\n"
        "    r, w = os.pipe()\n"
        "    os.close(r)\n"
        "    sys.stdout = os.fdopen(w, 'w')\n"
        "    print('buffered, never to be read')\n"
        "atexit.register(late)"
    )
    done = console(probe=leaving("main()", before=before, argv="['arkivlucka', '--version']"))
    assert done.returncode == 120
    assert "BrokenPipeError" in done.stderr
    assert done.stderr.count("HANDLER RAN") == 1
