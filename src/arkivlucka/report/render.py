"""Report stage, output: HTML from the package's own Jinja2 templates, PDF/A through WeasyPrint.

HTML depends only on the entries and the run context, so the same input and ``--created`` give
the same bytes. The PDF is PDF/A-2b with the report font embedded; its XMP and info dates are
the run's creation time and its file identifier is a hash of the HTML and the font files'
names and sizes, so it is byte-identical too as long as WeasyPrint, its libraries and the font
files are the same (see docs/report.md).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import error
from arkivlucka.report import labels
from arkivlucka.report import model as m

if TYPE_CHECKING:
    import jinja2

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")
PDF_VARIANT = "pdf/a-2b"
_ENV: list[jinja2.Environment] = []


def _env() -> jinja2.Environment:
    if not _ENV:
        import jinja2

        _ENV.append(
            jinja2.Environment(
                loader=jinja2.PackageLoader("arkivlucka.report", "templates"),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
        )
    return _ENV[0]


def _page(template: str, ctx: RunContext, title: str, subject: str, **values: Any) -> bytes:
    created_iso = ctx.created_iso()
    html = _env().get_template(template).render(
        ctx=ctx, L=labels, title=title, subject=subject, created_iso=created_iso,
        created=labels.created(created_iso), **values,
    )  # fmt: skip
    return html.encode("utf-8")


def report_html(entries: m.Entries, ctx: RunContext) -> bytes:
    """The report of one records creator's entries as a standalone HTML document (UTF-8)."""
    from markupsafe import Markup

    from arkivlucka.report.timeline import timeline_svg

    title = f"Informationsförlust – {entries.creator} – {entries.incident.id}"
    subject = f"Arkivredovisning av informationsförlust för {entries.creator}"
    svg = timeline_svg(entries)  # built with lxml: every text in it is escaped already
    return _page("report.html.j2", ctx, title, subject, e=entries, svg=Markup(svg) if svg else "",
                 culling_groups=culling_groups(entries))  # fmt: skip


def culling_groups(entries: m.Entries) -> list[tuple[list[str], m.Culling | None]]:
    """Lost records assessed alike, together: (titles, the one assessment), first-seen order."""
    groups: dict[m.Culling | None, list[str]] = {}
    for rec in entries.lost:
        groups.setdefault(rec.culling, []).append(rec.title)
    return [(titles, culling) for culling, titles in groups.items()]


@dataclass(frozen=True)
class _Group:
    incident_id: str
    registry_number: str | None
    lines: list[m.LossLine]


def _groups(lines: Sequence[m.LossLine]) -> list[_Group]:
    """Lines by incident, in the order the incidents first appear."""
    groups: dict[str, _Group] = {}
    for line in lines:
        group = groups.get(line.incident_id)
        if group is None:
            group = groups[line.incident_id] = _Group(line.incident_id, line.registry_number, [])
        group.lines.append(line)
    return list(groups.values())


def losses_html(creator: str, lines: Sequence[m.LossLine], ctx: RunContext) -> bytes:
    """All ``lines`` (one records creator's losses across incidents) as an HTML appendix."""
    title = f"Förlorade handlingar – {creator}"
    subject = f"Bilaga till arkivbeskrivningen för {creator}: förlorade handlingar"
    return _page("losses.html.j2", ctx, title, subject, creator=creator,
                 groups=_groups(lines), count=len(lines))  # fmt: skip


def html_to_pdf(html: bytes) -> bytes:
    """Render our HTML as PDF/A-2b with the report font embedded."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from arkivlucka.report.fonts import font_face_css, font_files

    files = font_files()
    ident = hashlib.sha256(html)
    for path in files.values():
        ident.update(f"{path.name}:{path.stat().st_size}".encode())
    fonts = FontConfiguration()
    css = None
    try:
        css = weasyprint.CSS(string=font_face_css(files), font_config=fonts)  # fonts copied
        pdf = weasyprint.HTML(string=html.decode("utf-8"), base_url=None).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT,
            pdf_identifier=ident.hexdigest()[:32].encode("ascii"),
        )  # fmt: skip
    except (OSError, ValueError) as exc:  # a broken font file, a library problem
        why = f"the PDF could not be rendered: {exc}"
        raise ArkivluckaError(why, [error("report-pdf-failed", why)]) from exc
    finally:
        if not _drop_font_folder(fonts):
            del css, fonts  # held in a reference cycle: only a collection finalises them
            gc.collect()
    assert isinstance(pdf, bytes)
    return pdf


def _drop_font_folder(fonts: object) -> bool:
    """Remove the temporary folder a WeasyPrint font configuration copied the fonts into.

    WeasyPrint removes it only in the configuration's finaliser, and the configuration is held
    in a reference cycle after rendering: it would go with a later garbage collection, or never
    (the command-line program leaves without finalising anything). False: this WeasyPrint
    keeps no ``_folder`` of its own, and the caller has its finaliser run instead.
    """
    import os
    import shutil

    if "_folder" not in vars(fonts):
        return False
    folder = vars(fonts)["_folder"]
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):  # (a file still open elsewhere may keep it)
            vars(fonts)["_folder"] = None  # its finaliser: nothing left to remove
    return True


def _finish(html: bytes, fmt: Format) -> bytes:
    if fmt == "html":
        return html
    if fmt == "pdf":
        return html_to_pdf(html)
    why = f"unknown report format '{fmt}' (html or pdf)"
    raise ArkivluckaError(why, [error("report-format", why, path="format")])


def render_report(entries: m.Entries, ctx: RunContext, fmt: Format) -> bytes:
    """The report of ``entries`` as HTML or PDF bytes."""
    return _finish(report_html(entries, ctx), fmt)


def render_losses_appendix(
    creator: str, lines: Sequence[m.LossLine], ctx: RunContext, fmt: Format
) -> bytes:
    """The appendix of all ``lines`` of ``creator`` (across incidents) as HTML or PDF bytes."""
    return _finish(losses_html(creator, lines, ctx), fmt)


def format_for(path: str | Path, fmt: str | None = None) -> Format:
    """The output format: ``fmt`` when given, else from the file's suffix (.pdf, .html, .htm)."""
    value = (fmt or {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(
        Path(path).suffix.lower(), "")).lower()  # fmt: skip
    if value not in FORMATS:
        why = f"{path}: cannot tell the report format from the name; name it .pdf or .html"
        raise ArkivluckaError(why, [error("report-format", why, file=str(path), path="format")])
    return "pdf" if value == "pdf" else "html"


def write_report(
    entries_dir: str | Path, creator: str, output: str | Path, ctx: RunContext,
    fmt: str | None = None, overwrite: bool = False,
) -> Path:  # fmt: skip
    """Read ``creator``'s entries under ``entries_dir``, render them, write ``output`` atomically.

    An existing ``output`` is replaced only with ``overwrite``.
    """
    from arkivlucka.files.write import atomic_write
    from arkivlucka.report.read import load_entries

    chosen = format_for(output, fmt)
    data = render_report(load_entries(entries_dir, creator), ctx, chosen)
    return atomic_write(output, data, overwrite=overwrite)
