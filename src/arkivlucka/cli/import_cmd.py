"""Command-line layer: ``arkivlucka import`` (filled-in form → incident file)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from arkivlucka.cli.output import report_findings

if TYPE_CHECKING:
    from arkivlucka.form.pipeline import BatchItem


@click.command("import")
@click.argument("forms", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path),
    help="File to write (one form; default stdout), or folder for many forms.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
    help="Format of the incident file.",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="Exit 1 when anything on a form could not be read.")
@click.option(
    "-q", "--quiet", is_flag=True,
    help="Show warnings only, not the notes (info) nor the per-field summary.",
)  # fmt: skip
@click.option(
    "--force", "overwrite", is_flag=True, help="Replace incident files that exist already."
)
@click.pass_context
def import_(
    ctx: click.Context, forms: tuple[Path, ...], output: Path | None, fmt: str, strict: bool,
    quiet: bool, overwrite: bool,
) -> None:  # fmt: skip
    """Read filled-in incident FORMS (.txt, .pdf, .docx, scans) into incident files.

    One form: the incident file goes to stdout, or to -o FILE. Many forms, or a folder
    (searched for .txt, .pdf, .docx, .png, .jpg, .tif): -o OUTDIR is required and gets
    one <form-name>.yaml per form; a form that cannot be read is reported and skipped.
    Scans (images, PDFs without text) are read by OCR (Tesseract, Swedish). Fields that
    could not be read, and values that may be wrong, are listed on stderr, one line each,
    then (one form) every value read with its page, line and certainty. --format json
    writes {"incident": ..., "provenance": ...}. Archival facts read from the prose are
    marked 'proposed: true' for you to confirm.

    Exit codes: 0 done, 1 a form could not be read (or a warning with --strict), 2 usage.
    """
    from arkivlucka.files.write import atomic_write
    from arkivlucka.form.pipeline import collect_forms, import_path

    if len(forms) == 1 and not forms[0].is_dir():
        result = import_path(forms[0])
        text = result.render(fmt)
        if output is not None:
            if output.is_dir():
                raise click.UsageError(f"-o {output}: is a folder; give a file name for one form")
            atomic_write(output, text.encode("utf-8"), overwrite=overwrite)
        else:
            click.echo(text, nl=False)
        report_findings(result.warnings if quiet else result.findings)
        if not quiet:
            for line in result.summary():
                click.echo(line, err=True)
        if strict and result.warnings:
            ctx.exit(1)
        return
    if output is None:
        raise click.UsageError("-o OUTDIR is required when importing several forms or a folder")
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"-o {output}: is a file; give a folder for many forms")
    paths = collect_forms(forms)
    if not paths:
        raise click.UsageError("no forms found (.txt, .pdf or .docx)")
    items = _run_batch(paths, output, fmt, overwrite)
    _summary(items, quiet)
    failed = any(i.failure for i in items)
    warned = any(i.result and i.result.warnings for i in items)
    if failed or (strict and warned):
        ctx.exit(1)


def on_terminal() -> bool:
    """Whether stderr is a terminal (the progress bar is shown only then)."""
    return sys.stderr.isatty()


def _run_batch(paths: list[Path], outdir: Path, fmt: str, overwrite: bool) -> list[BatchItem]:
    from arkivlucka.form.pipeline import import_forms

    if not on_terminal():
        return import_forms(paths, outdir, fmt, overwrite=overwrite)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        console=Console(stderr=True), transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("", total=len(paths))
        return import_forms(
            paths,
            outdir,
            fmt,
            on_done=lambda i: progress.update(task, advance=1, description=i.form.name),
            overwrite=overwrite,
        )


def _summary(items: list[BatchItem], quiet: bool) -> None:
    """Every form's findings, then one summary line per form and a total."""
    from arkivlucka.core.render import one_line

    for item in items:
        if item.failure:
            report_findings(item.failure.findings or [])
            if not item.failure.findings:
                click.echo(one_line(f"{item.form}: error: {item.failure.message}"), err=True)
        elif item.result:
            report_findings(item.result.warnings if quiet else item.result.findings)
    click.echo("summary:", err=True)
    for item in items:
        if item.failure:
            click.echo(one_line(f"  {item.form}: FAILED ({item.failure.message})"), err=True)
        elif item.result:
            codes = Counter(f.code for f in item.result.warnings)
            detail = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in sorted(codes.items()))
            what = f"{sum(codes.values())} warning(s): {detail}" if codes else "no warnings"
            click.echo(one_line(f"  {item.form} → {item.written}: {what}"), err=True)
    failed = sum(1 for i in items if i.failure)
    warned = sum(1 for i in items if i.result and i.result.warnings)
    click.echo(
        f"{len(items)} form(s): {len(items) - failed} imported ({warned} with warnings), "
        f"{failed} failed",
        err=True,
    )
