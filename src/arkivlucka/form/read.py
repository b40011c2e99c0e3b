"""Read-form stage: the bytes of a filled-in form (text, PDF, Word) into normalised text lines.

The type is detected from the content (magic bytes), not the file name. Checkboxes come
out as the glyphs ☒ (checked) and ☐ (unchecked) whatever the source used: ☑, ``[x]``,
Word content-control checkboxes (``w14:checkbox``) or legacy form-field checkboxes.
Each line keeps one trailing space when the source had one: text extracted from a PDF
marks a soft line break that way, which tells a wrapped line from a word cut in two.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from arkivlucka.core.errors import FormError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.files.read import decode_text

CHECKED, UNCHECKED = "☒", "☐"
MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # a Word file is a zip: refuse zip bombs

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_GLYPHS = {
    "☑": CHECKED,
    "⊠": CHECKED,
    "✔": CHECKED,
    "✓": CHECKED,
    "✅": CHECKED,
    "□": UNCHECKED,
    "❑": UNCHECKED,
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\t": " ",
}
_SPACES = re.compile(r" {3,}")
_BRACKETS = re.compile(r"\[\s*[xX✓✔]\s*\]|\[\s?\]|\(\s?[xX✓✔]\s?\)|\(\s?\)(?=\s*[A-ZÅÄÖ])")
# a lone X as a mark: at a line's start or after a wide gap or a colon, before an option
_LONE_X = re.compile(r"(?<= )[xX](?= [A-ZÅÄÖ])")
_X_BEFORE_OPTION = re.compile(r"[xX](?=\s+[A-ZÅÄÖ][a-zåäö])")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\u00ad\ud800-\udfff\ufffe\uffff]"
)


@dataclass(frozen=True)
class FormText:
    """A form as normalised text lines, with what kind of file it came from."""

    kind: str  # "txt", "pdf", "docx", "image" (OCR) or "pdf-scan" (OCR)
    lines: list[str]
    findings: tuple[Finding, ...] = ()  # what reading noted (form fields not placed)
    pages: tuple[int, ...] = ()  # the page of each line, where the source has pages
    uncertain: tuple[str | None, ...] = ()  # why a line's reading is unsure (OCR), per line

    def page(self, line: int) -> int | None:
        """The page of 1-based ``line``, or None when the source has no pages."""
        return self.pages[line - 1] if 0 < line <= len(self.pages) else None

    def doubt(self, first: int, last: int) -> str | None:
        """Why lines ``first``..``last`` (1-based) are unsure, or None when they are sure."""
        reasons = [r for r in self.uncertain[max(0, first - 1) : last] if r]
        return "; ".join(dict.fromkeys(reasons)) or None

    @property
    def text(self) -> str:
        """The lines joined with newlines."""
        return "\n".join(self.lines)


def reason(exc: BaseException) -> str:
    """An exception as a short reason for a message: its text (else its kind), no ``b'...'``."""
    text = str(exc).strip().strip('"') or type(exc).__name__
    return re.sub(r"\bb'([^']*)'", r"'\1'", text)


def _fail(code: str, file: str, message: str) -> FormError:
    return FormError(f"{file}: {message}", [error(code, message, file=file)])


def detect_kind(data: bytes) -> str:
    """Return ``pdf``, ``docx``, ``txt`` or ``other`` from the first bytes of ``data``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "txt"  # UTF-16 text with its byte-order mark
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if (
        head[:8] == b"\x89PNG\r\n\x1a\n"
        or head[:3] == b"\xff\xd8\xff"
        or head[:4]
        in (
            b"II*\x00",
            b"MM\x00*",
        )
    ):
        return "image"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "other"
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):
            return "broken-zip"  # a zip (so likely a .docx) that is damaged or cut short
    if b"\x00" in head or head[:4] in (b"\xd0\xcf\x11\xe0", b"{\\rt"):
        return "other"
    return "txt"


def read_form(data: bytes, file: str = "<form>", *, tesseract: str | None = None) -> FormText:
    """Turn the bytes of a form into ``FormText``; raise ``FormError`` when it cannot be read.

    An image, or a PDF without a text layer, is read by OCR (``form_ocr``); ``tesseract``
    names the program (default ``$ARKIVLUCKA_TESSERACT`` or ``tesseract``).
    """
    if not data.strip():
        raise _fail("form-empty", file, "the file is empty")
    if len(data) > MAX_BYTES:
        raise _fail("form-too-large", file, f"larger than {MAX_BYTES // 2**20} MiB")
    kind = detect_kind(data)
    noted: list[Finding] = []
    pages: list[int] = []
    if kind == "image":
        from arkivlucka.form.ocr import ocr_pages, open_image

        return _scanned("image", ocr_pages(open_image(data, file), file, tesseract), file)
    if kind == "pdf":
        raw, noted, pages = _pdf_read(data, file)
        if not raw.strip() and not noted:
            from arkivlucka.form.ocr import ocr_pages, render_pdf

            return _scanned("pdf-scan", ocr_pages(render_pdf(data, file), file, tesseract), file)
    elif kind == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        if unpacked > MAX_UNPACKED:
            raise _fail("form-too-large", file, f"unpacks to more than {MAX_UNPACKED // 2**20} MiB")
        raw = _docx_text(data, file)
    elif kind == "txt":
        raw = _decode(data, file)
    elif kind == "broken-zip":
        raise _fail(
            "docx-broken",
            file,
            "the Word file cannot be read: not a readable zip archive (damaged or cut short?)",
        )
    else:
        raise _fail(
            "form-unsupported",
            file,
            "not a text, PDF or Word (.docx) file (old .doc and other formats are not read)",
        )
    lines = normalise_lines(raw)
    if not any(line.strip() for line in lines):
        what = "the PDF has no text, not even by OCR" if kind == "pdf" else "the form has no text"
        raise _fail("form-no-text", file, what)
    pages = pages if len(pages) == len(lines) else []
    return FormText(kind, lines, tuple(noted), tuple(pages))


def _scanned(kind: str, ocr: list[Any], file: str) -> FormText:
    """OCR lines as ``FormText``: normalised one by one, so pages and doubts stay aligned."""
    lines = [normalise_lines(line.text)[0] for line in ocr]
    if not any(line.strip() for line in lines):
        raise _fail("form-no-text", file, "no text was found on the scan, not even by OCR")
    return FormText(
        kind, lines, (), tuple(line.page for line in ocr), tuple(line.uncertain for line in ocr)
    )


def _x_mark(mt: re.Match[str]) -> str:
    """The checked glyph for an X that stands where a mark does, else the X itself.

    Where: at a line's start, after two white-space characters, or after a colon and one (the
    place is checked here, not by look-behinds in the pattern tried at every offset).
    """
    at, text = mt.start(), mt.string
    if at == 0 or text[at - 1] == "\n":
        return CHECKED
    if at >= 2 and text[at - 1].isspace() and (text[at - 2].isspace() or text[at - 2] == ":"):
        return CHECKED
    return mt.group(0)


def normalise_lines(raw: str) -> list[str]:
    """Normalise checkbox glyphs, spaces and control characters; keep one trailing space.

    The text is put in NFC first, so a decomposed å (a + combining ring, as macOS and some
    PDF producers write it) matches the labels.
    """
    raw = unicodedata.normalize("NFC", raw)
    if "[" in raw or "(" in raw:
        raw = _BRACKETS.sub(
            lambda mt: UNCHECKED if mt.group(0).strip("[]() ") == "" else CHECKED, raw
        )
    raw = _X_BEFORE_OPTION.sub(_x_mark, raw)
    for old, new in _GLYPHS.items():
        if old in raw:
            raw = raw.replace(old, new)
    raw = _CONTROL.sub("", raw).replace("\r\n", "\n").replace("\r", "\n")
    raw = _SPACES.sub("  ", raw)
    out = []
    for line in raw.split("\n"):
        body = line.strip()
        if (CHECKED in body or UNCHECKED in body) and " X " in body:
            body = _LONE_X.sub(CHECKED, body)  # a mark among boxes: "☐ Liten X Okänd"
        out.append(body + " " if body and line[-1:] == " " else body)
    return out


def _decode(data: bytes, file: str) -> str:
    try:
        return decode_text(data)[0]
    except UnicodeDecodeError:  # a UTF-8 byte-order mark before bytes that are not UTF-8
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes, file: str) -> str:
    """The PDF's text, with the values of its form fields placed in it (if it has any)."""
    return _pdf_read(data, file)[0]


def _pdf_read(data: bytes, file: str) -> tuple[str, list[Finding], list[int]]:
    import logging

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # pypdf logs repairs of damaged files; we report ourselves
    try:
        return _pdf_text_quiet(data, file)
    finally:
        log.setLevel(level)


def _pdf_text_quiet(data: bytes, file: str) -> tuple[str, list[Finding], list[int]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several kinds here (missing AES support...)
                ok = False
            if not ok:
                raise _fail("pdf-encrypted", file, "the PDF is encrypted; save an unprotected copy")
        fields = _fields_text(reader, file)
        if fields is not None:
            return fields[0], fields[1], []
        texts = [(page.extract_text() or "").rstrip("\n") for page in reader.pages]
        pages = [n for n, t in enumerate(texts, start=1) for _ in normalise_lines(t)]
        return "\n".join(texts), [], pages
    except FormError:
        raise
    except (PdfReadError, PyPdfError) as exc:
        raise _fail("pdf-broken", file, f"the PDF cannot be read: {exc}") from None
    except RecursionError:
        raise _fail("pdf-broken", file, "the PDF cannot be read: nested too deeply") from None
    except Exception as exc:  # a damaged file makes pypdf fail in many other ways
        raise _fail("pdf-broken", file, f"the PDF cannot be read: {reason(exc)}") from None


def _fields_text(reader: Any, file: str) -> tuple[str, list[Finding]] | None:
    """A fillable PDF's text with its field values placed in it; None when it has no fields."""
    from arkivlucka.form.acroform import has_fields, merged_text
    from arkivlucka.form.labels import label_key

    try:
        fillable = has_fields(reader)
    except Exception:  # a damaged catalog: read as a PDF without fields, as always
        return None
    if not fillable:
        return None
    try:
        return merged_text(reader, label_key)
    except RecursionError:
        problem = "nested too deeply"
    except Exception as exc:  # damaged field dictionaries fail in many ways; the text remains
        problem = reason(exc)
    text = "\n".join((page.extract_text() or "").rstrip("\n") for page in reader.pages)
    msg = f"the PDF's form fields cannot be read ({problem}); only its printed text is read"
    return text, [warning("form-fields-unreadable", msg, file=file)]


def _docx_text(data: bytes, file: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise _fail("docx-broken", file, f"the Word file cannot be read: {reason(exc)}") from None
    except Exception as exc:  # lxml syntax errors and the like inside the package
        raise _fail("docx-broken", file, f"the Word file cannot be read: {reason(exc)}") from None
    lines: list[str] = []
    _blocks(document.element.body, lines)
    return "\n".join(lines)


def _blocks(parent: Any, lines: list[str]) -> None:
    """Paragraphs in order; each table cell's content on its own lines (merged cells once)."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{{{_W}}}p":
            lines.extend(_paragraph(child).split("\n"))
        elif tag == f"{{{_W}}}tbl":
            for row in child.iterchildren(f"{{{_W}}}tr"):
                for cell in row.iterchildren(f"{{{_W}}}tc"):
                    if _continues_merge(cell):
                        continue
                    _blocks(cell, lines)
                lines.append("")
        elif tag == f"{{{_W}}}sdt":
            content = child.find(f"{{{_W}}}sdtContent")
            if content is not None and _checkbox(child) is None:
                _blocks(content, lines)
            elif content is not None:
                lines.append(_paragraph(child))


def _continues_merge(cell: Any) -> bool:
    merge = cell.find(f"{{{_W}}}tcPr/{{{_W}}}vMerge")
    return merge is not None and merge.get(f"{{{_W}}}val") in (None, "continue")


def _checkbox(sdt: Any) -> bool | None:
    """The state of a content-control checkbox, or None when ``sdt`` is not one."""
    box = sdt.find(f"{{{_W}}}sdtPr/{{{_W14}}}checkbox")
    if box is None:
        return None
    checked = box.find(f"{{{_W14}}}checked")
    return checked is not None and checked.get(f"{{{_W14}}}val") in ("1", "true", "on")


def _paragraph(p: Any) -> str:
    """Text of a paragraph with checkboxes as glyphs, tabs and breaks as space and newline."""
    out: list[str] = []
    _walk(p, out)
    return "".join(out)


_CHECKED_SYMS = ("F0FD", "F0FE", "F078")
_UNCHECKED_SYMS = ("F0A8", "F06F")


def _walk(el: Any, out: list[str]) -> None:
    tag = el.tag
    if tag == f"{{{_W}}}sdt":
        state = _checkbox(el)
        if state is not None:  # the glyph shown inside the control is not read again
            out.append(CHECKED if state else UNCHECKED)
            return
    if tag == f"{{{_W}}}t":
        out.append(el.text or "")
    elif tag == f"{{{_W}}}tab":
        out.append(" ")
    elif tag in (f"{{{_W}}}br", f"{{{_W}}}cr"):
        out.append("\n")
    elif tag == f"{{{_W}}}sym":
        char = (el.get(f"{{{_W}}}char") or "").upper()
        out.append(
            CHECKED if char in _CHECKED_SYMS else UNCHECKED if char in _UNCHECKED_SYMS else ""
        )
    elif tag == f"{{{_W}}}checkBox":
        state = el.find(f"{{{_W}}}checked")
        if state is None:
            state = el.find(f"{{{_W}}}default")
        val = (state.get(f"{{{_W}}}val") or "1") if state is not None else "0"
        out.append(CHECKED if val in ("1", "true", "on") else UNCHECKED)
    for child in el.iterchildren():
        _walk(child, out)
