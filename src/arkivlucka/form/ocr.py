"""Read-form stage, OCR: a scanned form (image, or PDF without a text layer) into text lines.

Pages are read by Tesseract (the ``tesseract`` program with Swedish language data, Debian
``tesseract-ocr`` + ``tesseract-ocr-swe``), called once per page with TSV output, so every
word comes with its position and confidence. Lines are rebuilt from the words (a wide gap
becomes two spaces, as a printed form's columns). Checkboxes are found on the image itself:
OCR drops or garbles box glyphs, so each gap between words (and each short junk token) is
looked at with Pillow: a square outline is a box, ticked when its inside is dark. Every
line carries the page it is on and, when it is not sure, why (low OCR confidence, a box
neither clearly ticked nor empty). PDF pages are rendered with pypdfium2.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

from arkivlucka.core.errors import FormError
from arkivlucka.core.findings import error

if TYPE_CHECKING:
    from PIL.Image import Image

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-swe"
LANG = "swe"
MIN_CONFIDENCE = 70.0  # a word read with less is uncertain (Tesseract's 0-100 scale)
RENDER_DPI = 200  # when the page's scan resolution cannot be told from its image
MIN_DPI, MAX_DPI = 150, 400
TIMEOUT_S = 120
_CHECKED, _UNCHECKED = "☒", "☐"
_BOX_SCALE = 20  # px: the letter height boxes are looked at


@dataclass(frozen=True)
class OcrLine:
    """One line of a scanned page: its text, page, and why it is uncertain (if it is)."""

    text: str
    page: int
    uncertain: str | None = None


@dataclass(frozen=True)
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float

    @property
    def right(self) -> int:
        return self.left + self.width


def tesseract_binary() -> str:
    """The Tesseract program to run: ``$ARKIVLUCKA_TESSERACT``, else ``tesseract``."""
    return os.environ.get("ARKIVLUCKA_TESSERACT") or "tesseract"


def _missing(file: str, what: str) -> FormError:
    msg = f"this is a scanned form and {what}; install it with: {INSTALL}"
    return FormError(f"{file}: {msg}", [error("ocr-missing", msg, file=file)])


def check_tesseract(binary: str, file: str) -> str:
    """The path of a Tesseract with Swedish data; raise ``FormError`` saying how to install it."""
    path = shutil.which(binary)
    if path is None:
        raise _missing(file, f"reading it needs Tesseract OCR, which is not installed ({binary})")
    try:
        done = subprocess.run(
            [path, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _missing(file, f"Tesseract ({path}) cannot be run: {exc}") from None
    langs = {ln.strip() for ln in (done.stdout + done.stderr).splitlines()}
    if LANG not in langs:
        raise _missing(file, "Tesseract has no Swedish language data (swe)")
    return path


def open_image(data: bytes, file: str) -> list[Image]:
    """Every frame of an image file (PNG, JPEG, TIFF) as a grey image."""
    from PIL import Image as PilImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        img = PilImage.open(io.BytesIO(data))
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        msg = f"the image cannot be read: {exc}"
        raise FormError(f"{file}: {msg}", [error("image-broken", msg, file=file)]) from None
    return frames


def render_pdf(data: bytes, file: str, dpi: int = RENDER_DPI) -> list[Image]:
    """The pages of a PDF as grey images (for a PDF without a text layer)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            scale = _native_dpi(page, dpi) / 72
            pages.append(page.render(scale=scale, grayscale=True).to_pil())
    except pdfium.PdfiumError as exc:
        msg = f"the PDF's pages cannot be rendered for OCR: {exc}"
        raise FormError(f"{file}: {msg}", [error("pdf-broken", msg, file=file)]) from None
    return [p.convert("L") for p in pages]


def _native_dpi(page: object, fallback: int) -> int:
    """The resolution of the scan on a page (its largest image), within 150-400 dpi."""
    import pypdfium2.raw as raw

    best = 0.0
    try:
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):  # type: ignore[attr-defined]
            width_px, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if right - left > 0:
                best = max(best, width_px / ((right - left) / 72))
    except Exception:  # an odd image object: render at the default resolution
        return fallback
    return round(min(MAX_DPI, max(MIN_DPI, best))) if best else fallback


def ocr_pages(images: list[Image], file: str, binary: str | None = None) -> list[OcrLine]:
    """OCR every page; the lines in reading order, each with its page and certainty."""
    path = check_tesseract(binary or tesseract_binary(), file)
    out: list[OcrLine] = []
    for n, page in enumerate(images, start=1):
        img = despeckle(page)
        words = _tesseract_words(img, path, file)
        out += page_lines(page, words, n)
        out.append(OcrLine("", n))
    return out


def despeckle(img: Image) -> Image:
    """The page without scanner specks (a 3×3 median filter; strokes survive, specks do not)."""
    from PIL import ImageFilter

    return img.filter(ImageFilter.MedianFilter(3))


def _tesseract_words(img: Image, path: str, file: str) -> list[list[_Word]]:
    """Words of a page grouped in lines, from Tesseract's TSV output."""
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    try:
        done = subprocess.run(
            [path, "stdin", "stdout", "-l", LANG, "--psm", "6", "tsv"],
            input=buf.getvalue(), capture_output=True, timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        msg = f"Tesseract failed on the scan: {exc}"
        raise FormError(f"{file}: {msg}", [error("ocr-failed", msg, file=file)]) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no reason"]
        msg = f"Tesseract failed on the scan: {why[0]}"
        raise FormError(f"{file}: {msg}", [error("ocr-failed", msg, file=file)])
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[list[_Word]]:
    """Tesseract TSV → lines of words (level 5 rows grouped by block, paragraph and line)."""
    lines: dict[tuple[str, str, str], list[_Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        word = _Word(cols[11].strip(), left, top, width, height, conf)
        lines.setdefault((cols[2], cols[3], cols[4]), []).append(word)
    return [sorted(ws, key=lambda w: w.left) for ws in lines.values()]


def page_lines(img: Image, lines: list[list[_Word]], page: int) -> list[OcrLine]:
    """Rebuild a page's lines: boxes found on the image, gaps as spaces, certainty noted."""
    from PIL import Image as PilImage

    ink = img.point(lambda v: 255 if v < 128 else 0).convert("1")  # dark pixels set
    assert isinstance(ink, PilImage.Image)
    out = []
    for words in sorted(lines, key=lambda ws: min(w.top for w in ws)):
        out.append(_line(ink, words, page))
    return out


def _line(ink: Image, words: list[_Word], page: int) -> OcrLine:
    heights = sorted(w.height for w in words if w.text.isalpha()) or [w.height for w in words]
    h = heights[len(heights) // 2]
    parts: list[str] = []
    doubts: list[str] = []
    low: list[float] = []
    x = max(0, words[0].left - 3 * h)
    for i, w in enumerate(words):
        nxt = words[i + 1].left if i + 1 < len(words) else w.right + h
        prev_top = words[i - 1].top if i else w.top
        top = min(prev_top, w.top) - h // 4  # the line's own height here (a skewed scan)
        bottom = max(prev_top + h, w.top + w.height) + h // 4
        box = _box_in(ink, x + 2, w.left - 2, top, bottom, h)
        if box is not None:
            parts.append(box[0])
            doubts += box[1:]
        elif parts and w.left - x > 0.8 * h:
            parts.append("")  # a wide gap: two spaces, like a form's columns
        as_box = None
        if _junk(w, h):
            x0, x1 = max(x + 2, w.left - h), min(nxt - 2, w.right + h)
            as_box = _box_in(ink, x0, x1, top, bottom, h)
        if as_box is not None:
            parts.append(as_box[0])
            doubts += as_box[1:]
        else:
            parts.append(w.text)
            mark = len(w.text) <= 2  # a mark or a box glyph OCR could not place
            if w.conf < MIN_CONFIDENCE and not mark and any(c.isalnum() for c in w.text):
                low.append(w.conf)
            elif mark and _junk(w, h) and w.text not in _MARKS and w.conf < MIN_CONFIDENCE:
                doubts.append(f"a mark on the scan could not be read ('{w.text}')")
        x = w.right
    last = words[-1]
    after = _box_in(ink, x + 2, x + 3 * h, last.top - h // 4, last.top + h + h // 4, h)
    if after is not None:
        parts.append(after[0])
        doubts += after[1:]
    if low:
        doubts.append(f"OCR confidence {min(low):.0f} %")
    return OcrLine(" ".join(parts), page, "; ".join(doubts) or None)


_MARKS = {"X", "x", "[X]", "[x]", "(x)", "(X)", "[", "]", "()", "[]", "( )", "-", "–", ":"}


def _junk(w: _Word, h: int) -> bool:
    """A short token that may be a box glyph misread ("O", "0", "&", "Xl", "KI"): looked at.

    Words ("Ja", "av", "tid") are not: letters side by side can look like an outline.
    """
    text = w.text
    word = len(text) >= 2 and text.isalpha() and any(c.islower() for c in text)
    if word and len(text) == 2 and text[1] in "lI":  # the box's right side read as l or I
        word = False
    return len(text) <= 3 and w.width <= 2.2 * h and not word


def _box_in(ink: Image, x0: int, x1: int, top: int, bottom: int, h: int) -> tuple[str, ...] | None:
    """A checkbox drawn between x0 and x1 on the line: (glyph, doubt...) or None.

    Found by its outline, robust to scanner specks: two columns and two rows with ink along
    most of a side, about a letter's height apart; ticked when its inside is dark.
    """
    from PIL import Image as PilImage

    if x1 - x0 < 0.6 * h:
        return None
    pad = h // 3
    region = ink.crop((x0, max(0, top - pad), x1, bottom + pad)).convert("L")
    if h > _BOX_SCALE:  # fine scans: look at the box at ~20 px, where a 2° tilt is < 1 px
        f = _BOX_SCALE / h
        size = (max(1, round(region.width * f)), max(1, round(region.height * f)))
        region = region.resize(size, PilImage.Resampling.BOX).point(lambda v: 255 if v > 60 else 0)
        h = _BOX_SCALE
    found = _outline(region, h)
    if found is None:
        return None
    left, upper, right, lower = found
    t = max(2, round((right - left) * 0.2))
    inner = region.crop((left + t, upper + t, right - t + 1, lower - t + 1))
    fill = _dark(inner) if inner.width > 0 and inner.height > 0 else 0.0
    if fill >= 0.10:
        return (_CHECKED,)
    if fill <= 0.04:
        return (_UNCHECKED,)
    return (_CHECKED if fill >= 0.07 else _UNCHECKED,
            f"a box on the scan is neither clearly ticked nor clearly empty ({fill:.0%} filled)")  # fmt: skip


def _profile(region: Image, vertical: bool) -> list[int]:
    """Ink pixels per column (``vertical``) or per row of a grey image (ink = 255)."""
    from PIL import Image as PilImage

    size = (region.width, 1) if vertical else (1, region.height)
    length = region.height if vertical else region.width
    flat = region.resize(size, PilImage.Resampling.BOX)
    return [round(v / 255 * length) for v in flat.tobytes()]


def _outline(region: Image, h: int) -> tuple[int, int, int, int] | None:
    """The square outline in ``region``: (left, top, right, bottom), or None.

    Candidate sides are columns and rows with ink along most of a side; of the pairs that fit
    a letter's height (widest columns first, rows nearest the width apart first), the first
    whose four sides are each covered along ≥ 80 % is the box.
    """
    for left, right in _pairs(_sides(_profile(region, vertical=True), 0.55 * h), 0.6 * h, 1.7 * h)[
        :4
    ]:
        strip = region.crop((left, 0, right + 1, region.height))
        width = right - left
        rows = _pairs(
            _sides(_profile(strip, vertical=False), 0.55 * width), width / 1.4, width / 0.7, width
        )
        for upper, lower in rows[:6]:
            box = region.crop((left, upper, right + 1, lower + 1))
            bw, bh = box.size
            bands = [
                (box.crop((0, 0, bw, 3)), True), (box.crop((0, bh - 3, bw, bh)), True),
                (box.crop((0, 0, 3, bh)), False), (box.crop((bw - 3, 0, bw, bh)), False),
            ]  # fmt: skip
            if min(_covered(b, horizontal) for b, horizontal in bands) >= 0.8:
                return left, upper, right, lower
    return None  # no closed outline: letters, brackets


def _pairs(
    cands: list[int], lo: float, hi: float, like: float | None = None
) -> list[tuple[int, int]]:
    """Pairs of candidate sides ``lo``..``hi`` apart: widest first, or nearest ``like`` first.

    A square's height is its width; another line's ink is not.
    """
    pairs = [(a, b) for i, a in enumerate(cands) for b in cands[i + 1 :] if lo <= b - a <= hi]
    if like is None:
        return sorted(pairs, key=lambda p: -(p[1] - p[0]))
    return sorted(pairs, key=lambda p: (abs(p[1] - p[0] - like), -(p[1] - p[0])))


def _sides(profile: list[int], need: float) -> list[int]:
    """Positions whose ink count reaches ``need``: a box's sides are the first and last."""
    return [i for i, v in enumerate(profile) if v >= need]


def _covered(band: Image, horizontal: bool) -> float:
    """The share of a band's length with ink across it: a box's side is ~1."""
    profile = _profile(band, vertical=horizontal)
    return sum(1 for v in profile if v > 0) / len(profile) if profile else 0.0


def _dark(img: Image) -> float:
    """The share of set (dark) pixels in a 1-bit image."""
    hist = img.histogram()
    total = img.width * img.height
    return (hist[-1] if len(hist) > 1 else 0) / total if total else 0.0
