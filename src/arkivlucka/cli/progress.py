"""Command-line layer: a progress bar on stderr for long runs, shown only on a terminal.

The library reports progress through a callback ``(done, total)``; this turns it into a
``rich`` bar on stderr when stderr is a terminal, and into nothing otherwise (a pipe, a log
file, a test), so output that is read by programs stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def on_terminal() -> bool:
    """Whether stderr is a terminal (a progress bar is shown only then)."""
    return sys.stderr.isatty()


@contextmanager
def progress_bar(label: str, quiet: bool = False) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(done, total)`` drawing a transient bar on stderr, or None (no terminal, quiet).

    The bar is removed when the block ends; the callback may be called from another thread.
    """
    if quiet or not on_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(),
        console=Console(stderr=True, force_terminal=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
