"""Benchmark `arkivlucka import` on the form corpus: how right, how honest, how fast.

Prints, for the corpus in tests/data/forms (each form rendered as its name says):
- fields right / total, per kind of file and in all, and the wrong values that came
  without a warning (the goal: none);
- for scanned forms: OCR time per page (Tesseract), page rendering (pypdfium2) and
  despeckling (Pillow), and our share: building lines, finding boxes on the image,
  parsing, proposing, dumping. Target: our share under 20 % of the time;
- for PDFs with a text layer: pypdf's text extraction vs. our reading, parsing, proposing
  and dumping of the same forms, in pairs (A B A B ..., each a fresh fork; benchlib.py:
  median, min and max ratio, peak memory, load), as benchmarks/bench_import.py does.

The scan shares are of one pass over the corpus (printed with the load average around it).

Usage: python benchmarks/bench_forms.py [--quick] [--pairs N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from arkivlucka.form import ocr as form_ocr  # noqa: E402
from arkivlucka.form import read as form_read  # noqa: E402
from arkivlucka.form.pipeline import import_form  # noqa: E402
from support.formgen import corpus_bytes, score  # noqa: E402

FORMS = REPO / "tests" / "data" / "forms"


class Stopwatch:
    """Wraps module functions to add up the time spent in them."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, module, name: str, label: str) -> None:
        inner = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.spent[label] += time.perf_counter() - start
                self.calls[label] += 1

        setattr(module, name, timed)


def kind_of(stem: str) -> str:
    for prefix in ("scan_png", "scan_pdf", "docx_table", "fillable", "pdf"):
        if stem.startswith(prefix):
            return prefix
    return "txt"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one round of text-layer timings")
    ap.add_argument("--pairs", type=int, default=None, help="pairs per comparison (5)")
    args = ap.parse_args()
    watch = Stopwatch()
    watch.wrap(form_ocr, "_tesseract_words", "tesseract")
    watch.wrap(form_ocr, "render_pdf", "render")
    watch.wrap(form_ocr, "despeckle", "despeckle")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    load_before = os.getloadavg()[0]
    silent_all: list[str] = []
    scan_time = 0.0
    for form in sorted(FORMS.glob("*.txt")):
        data, name = corpus_bytes(form)
        expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        result = import_form(data, name)
        spent = time.perf_counter() - start
        right, total, wrong, silent = score(expected, result)
        kind = kind_of(form.stem)
        if kind.startswith("scan"):
            scan_time += spent
        for i, n in enumerate((right, total, len(silent))):
            totals[kind][i] += n
        silent_all += [f"{form.stem}: {p}" for p in silent]
        flag = "" if not wrong else f"  wrong: {', '.join(wrong)}"
        print(f"{form.stem:<34} {kind:<10} {right:>3}/{total:<3} {spent * 1000:8.1f} ms{flag}")
    right = sum(t[0] for t in totals.values())
    total = sum(t[1] for t in totals.values())
    print()
    for kind, (r, t, s) in sorted(totals.items()):
        print(f"  {kind:<10} {r}/{t} fields right ({r / t:.1%}), {s} wrong without a warning")
    print(f"corpus: {right}/{total} fields right ({right / total:.1%}); "
          f"wrong without a warning: {len(silent_all)} (goal 0)")  # fmt: skip
    for item in silent_all:
        print(f"  silent: {item}")
    pages = watch.calls["tesseract"]
    if pages:
        ocr, render, despeckle = (watch.spent[k] for k in ("tesseract", "render", "despeckle"))
        ours = scan_time - ocr - render - despeckle
        print(f"scans: {pages} page(s), OCR {ocr / pages * 1000:.0f} ms/page (Tesseract), "
              f"rendering {render * 1000:.0f} ms, despeckling {despeckle * 1000:.0f} ms")  # fmt: skip
        print(f"  ours (lines, boxes on the image, parse, propose, dump) {ours * 1000:.0f} ms = "
              f"{ours / scan_time:.0%} of {scan_time:.2f} s (target < 20 %); "
              f"load {load_before:.2f} → {os.getloadavg()[0]:.2f}")  # fmt: skip
    text_pdf_share(args.pairs or (3 if args.quick else 5))


def text_pdf_share(runs: int) -> None:
    """PDFs with a text layer: ours (normalise, parse, propose, dump) vs pypdf's extraction.

    Run in pairs (A B A B ..., each run a fresh fork; benchlib.py) over all such forms.
    """
    from arkivlucka.form import words as form_words
    from arkivlucka.form.pipeline import import_text
    from benchlib import pairs, report

    forms = []
    for form in sorted(FORMS.glob("*.txt")):
        if kind_of(form.stem) in ("pdf", "fillable"):
            data, name = corpus_bytes(form)
            forms.append((data, name, form_read.read_form(data, name)))
    if not forms:
        return

    def library() -> None:
        for data, name, _ in forms:
            form_read._pdf_read(data, name)

    lexicon = form_words.load(form_words.DICTIONARY)

    def ours(forget: bool = False) -> None:
        for _, name, read in forms:
            if forget and lexicon is not None:
                lexicon.forget()  # each form as if it were the first: no word remembered
            text = form_read.FormText(read.kind, form_read.normalise_lines("\n".join(read.lines)))
            import_text(text, name).render("yaml")

    report(f"forms corpus: {len(forms)} PDFs with a text layer, our share",
           "normalise, parse, propose, dump", "pypdf text (and fields)",
           pairs(ours, library, runs), "ours < 20 % of the whole (ratio < 0.25×)")  # fmt: skip
    report(f"forms corpus: {len(forms)} PDFs with a text layer, each as the first (no word remembered)",
           "normalise, parse, propose, dump", "pypdf text (and fields)",
           pairs(lambda: ours(forget=True), library, runs),
           "ours < 20 % of the whole (ratio < 0.25×)")  # fmt: skip


if __name__ == "__main__":
    main()
