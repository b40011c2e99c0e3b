"""Package stage, checking what was written: the package METS read back as ``verify`` reads it.

Every METS.xml ``package`` writes is held to the CSIP/SIP requirements before the package is
kept (any error is a bug, and nothing is written). The written file is read once as a stream,
schema-validated and with its plain files taken out (``metsread``), and the requirement
checks run on what is left, as ``verify`` does: the same findings as a whole-tree reading, in
a fraction of the time. Where that reading cannot be used (the official schemas or the IANA
list missing, a document that is not plainly valid), the METS is checked whole instead
(``check_trees``), in batches of payload files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from arkivlucka.core.errors import InvalidOutputError
from arkivlucka.core.findings import Finding
from arkivlucka.files.forked import Child, Sender

_REFUSED = "METS.xml breaks a CSIP/SIP requirement; nothing was written"


def check_written(path: Path, name: str, schema_dir: Path | None) -> bool:
    """Validate and check the written METS ``path``; False when it is to be checked whole.

    Raises ``InvalidOutputError`` for a requirement it breaks.
    """
    from arkivlucka.delivery.metsread import NotPlain, read_slim
    from arkivlucka.delivery.rules import run_checks
    from arkivlucka.delivery.verify_read import plan

    needs = plan(schema_dir)
    if needs is None:
        return False
    try:
        with open(path, "rb") as fh:
            tree, slim = read_slim(fh, name, needs.schema, needs.types, records=False)
        found, _ = run_checks(tree.getroot(), name, slim=slim)
    except (NotPlain, OSError):
        return False
    _refuse(found)
    return True


def check_trees(build: Callable[[int], etree._Element | None]) -> None:
    """The requirement checks on whole trees: ``build(n)`` gives the n-th batch's tree, or None."""
    from arkivlucka.delivery.rules import check_mets

    n = 0
    while (root := build(n)) is not None:
        _refuse(check_mets(root, "METS.xml"))
        n += 1


def _refuse(found: list[Finding]) -> None:
    problems = [f for f in found if f.is_error]
    if problems:
        raise InvalidOutputError(_REFUSED, problems)


class Beside:
    """``check(*args)`` (a list of findings, or ``InvalidOutputError``) in a forked process.

    ``result`` waits for it and gives its findings or raises its error; a process that ended
    without answering has the check run here instead, so nothing goes unchecked.
    """

    def __init__(self, check: Callable[..., list[Finding]], *args: Any) -> None:
        self._check, self._args = check, args
        self._child: Child | None = Child(_answer, check, args)

    def result(self) -> list[Finding]:
        """The check's findings (waits for the process); raises the error it raised."""
        try:
            assert self._child is not None
            refused, message, found = self._child.recv()
        except (EOFError, OSError):
            return self._check(*self._args)  # the process ended: check here
        finally:
            self.stop()
        if refused:
            raise InvalidOutputError(message, found)
        return list(found)

    def stop(self) -> None:
        """End the process if it still runs (after an error elsewhere)."""
        if self._child is not None:
            self._child.stop()
            self._child = None


def _answer(conn: Sender, check: Callable[..., list[Finding]], args: tuple[Any, ...]) -> None:
    """In the forked process: run the check, send (refused, message, findings)."""
    try:
        conn.send((False, "", check(*args)))
    except InvalidOutputError as exc:
        conn.send((True, exc.message, exc.findings))
