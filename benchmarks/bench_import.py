"""Benchmark `arkivlucka import`: the seed form in-process, a batch of forms, and PDF cost split.

Prints ratios against floors measured in the same run (no absolute targets):
- seed: import of the seed text vs. the floor of decoding it and splitting lines;
- batch: forms per second importing N forms from a folder to a folder, vs. the floor of
  reading each form and writing its bytes atomically;
- pdf: the share of time spent in the PDF library (pypdf text extraction) vs. our own
  reading, parsing, proposing and dumping. Target: our share under 20 %.
- fillable: the seed laid out as a fillable PDF (values only in form fields): reading its
  text layer alone (pypdf, the floor) vs. reading it with the field values placed in it
  (pypdf's field and annotation access, text positions, our placement), and the extra cost
  over the plain text layer; then the whole import, as for pdf.

Every comparison runs in pairs (A B A B ..., each run a fresh fork; benchlib.py).
Usage: python benchmarks/bench_import.py [--quick] [--forms N] [--pairs N] [--pdf-only]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchlib import pairs, report

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from arkivlucka.files.write import atomic_write  # noqa: E402
from arkivlucka.form import read as form_read  # noqa: E402
from arkivlucka.form.pipeline import (  # noqa: E402
    collect_forms,
    import_form,
    import_forms,
    import_text,
)

SEED = REPO / "samples" / "digframe" / "form.txt"


def best_of(fn, repeat: int, number: int) -> float:
    """Best mean seconds per call over ``repeat`` rounds of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def bench_seed(number: int) -> None:
    data = SEED.read_bytes()
    floor = best_of(lambda: data.decode("utf-8").splitlines(), 5, number)
    full = best_of(lambda: import_form(data, "seed.txt").render("yaml"), 5, number)
    print(f"seed (txt, in-process): {full * 1000:.2f} ms/form = {1 / full:.0f} forms/s")
    print(f"  floor (decode + split lines): {floor * 1e6:.1f} µs → ratio {full / floor:.0f}×")


def make_forms(folder: Path, count: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for i in range(count):
        variant = text.replace(
            "2024-02-07 kl. 08:50", f"2024-02-{1 + i % 28:02d} kl. 08:{i % 60:02d}"
        )
        variant = variant.replace("Tova Halldén", f"Person {i}")
        (folder / f"form{i:05d}.txt").write_text(variant, encoding="utf-8")


def bench_batch(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, out, copy = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "copy")
        src.mkdir()
        make_forms(src, count)
        forms = collect_forms([src])
        start = time.perf_counter()
        for form in forms:
            atomic_write(copy / form.name, form.read_bytes())
        floor = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        items = import_forms(forms, out)
        spent, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert all(i.written for i in items), "a form failed in the benchmark"
    print(f"batch: {count} forms in {spent:.2f} s = {count / spent:.0f} forms/s (cpu {cpu:.2f} s)")
    print(f"  floor (read + atomic write, same files): {floor:.2f} s → ratio {spent / floor:.1f}×")


def bench_pdf(number: int) -> None:
    from support.formgen import pdf_bytes

    pdf = pdf_bytes(SEED.read_text(encoding="utf-8"))
    raw = form_read._pdf_text(pdf, "seed.pdf")
    library = best_of(lambda: form_read._pdf_text(pdf, "seed.pdf"), 3, number)

    def ours_only() -> None:
        form = form_read.FormText("pdf", form_read.normalise_lines(raw))
        import_text(form, "seed.pdf").render("yaml")

    ours = best_of(ours_only, 3, number * 5)
    total = library + ours
    print(f"pdf: {total * 1000:.1f} ms/form = {1 / total:.0f} forms/s")
    print(
        f"  pypdf (parse + text extraction) {library * 1000:.1f} ms ({library / total:.0%}), "
        f"ours (normalise, parse, propose, dump) {ours * 1000:.2f} ms ({ours / total:.0%}; "
        "target < 20 %)"
    )


def bench_fillable(number: int) -> None:
    import io

    from pypdf import PdfReader

    from support.formgen import fillable_pdf_bytes
    from support.seed_blocks import SEED_BLOCKS

    pdf = fillable_pdf_bytes(SEED_BLOCKS, names="meaningless")

    def text_layer() -> str:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        return "\n".join((p.extract_text() or "").rstrip("\n") for p in reader.pages)

    def library_part() -> None:  # what pypdf must do anyway: text with positions, fields read
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        for page in reader.pages:
            page.extract_text(visitor_text=lambda *a: None)
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                for key in ("/Parent", "/AP"):
                    if key in annot:
                        value = annot[key].get_object()
                        if key == "/AP" and "/N" in value:
                            value["/N"].get_object()

    floor = best_of(text_layer, 3, number)
    library = best_of(library_part, 3, number)
    with_fields = best_of(lambda: form_read._pdf_text(pdf, "f.pdf"), 3, number)
    raw = form_read._pdf_text(pdf, "f.pdf")

    def ours_only() -> None:
        form = form_read.FormText("pdf", form_read.normalise_lines(raw))
        import_text(form, "f.pdf").render("yaml")

    ours = best_of(ours_only, 3, number * 5)
    extra = with_fields - floor
    total = with_fields + ours
    print(f"fillable pdf: {total * 1000:.1f} ms/form = {1 / total:.0f} forms/s")
    print(
        f"  text layer only (pypdf, floor) {floor * 1000:.1f} ms; with form fields placed "
        f"{with_fields * 1000:.1f} ms → ratio {with_fields / floor:.2f}× "
        f"(+{extra * 1000:.1f} ms for the fields)"
    )
    placing = max(with_fields - library, 0.0)
    print(
        f"  pypdf (text layer, text positions, field objects) {library * 1000:.1f} ms "
        f"({library / total:.0%}), ours: placing the fields {placing * 1000:.2f} ms "
        f"({placing / total:.0%}) + normalise, parse, propose, dump {ours * 1000:.2f} ms "
        f"({ours / total:.0%}); target < 20 % for ours"
    )


def paired(runs: int, number: int, forms: int) -> None:
    """The same comparisons as above, in pairs, for the results table."""
    data = SEED.read_bytes()

    def seed() -> None:
        for _ in range(number):
            import_form(data, "seed.txt").render("yaml")

    def seed_floor() -> None:
        for _ in range(number):
            data.decode("utf-8").splitlines()

    report(f"import: the seed form in-process (×{number})", "import + render YAML",
           "decode + split lines", pairs(seed, seed_floor, runs), "—")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        src, out, copy = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "copy")
        src.mkdir()
        make_forms(src, forms)
        found = collect_forms([src])

        def clean() -> None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(copy, ignore_errors=True)

        def batch() -> None:
            assert all(i.written for i in import_forms(found, out))

        def batch_floor() -> None:
            for form in found:
                atomic_write(copy / form.name, form.read_bytes())

        report(f"import: {forms:,} text forms, folder to folder", "`import` batch",
               "read + atomic write of the same files", pairs(batch, batch_floor, runs, before=clean), "—")  # fmt: skip


def paired_pdf(runs: int, number: int) -> None:
    """Our part of importing a PDF form against pypdf's reading of it, in pairs.

    Once with the word list's memory of words warm (as after the forms before), once with it
    cleared before each form (each form read as if it were the first).
    """
    from arkivlucka.form import words as form_words
    from support.formgen import fillable_pdf_bytes, pdf_bytes
    from support.seed_blocks import SEED_BLOCKS

    lexicon = form_words.load(form_words.DICTIONARY)
    for label, pdf in (("plain", pdf_bytes(SEED.read_text(encoding="utf-8"))),
                       ("fillable", fillable_pdf_bytes(SEED_BLOCKS, names="meaningless"))):  # fmt: skip
        raw = form_read._pdf_text(pdf, "f.pdf")

        def ours_only(forget: bool = False) -> None:
            for _ in range(number):
                if forget and lexicon is not None:
                    lexicon.forget()  # each form as if it were the first: no word remembered
                form = form_read.FormText("pdf", form_read.normalise_lines(raw))  # noqa: B023
                import_text(form, "f.pdf").render("yaml")

        def library() -> None:
            for _ in range(number):
                form_read._pdf_text(pdf, "f.pdf")  # noqa: B023

        ours_only()  # the words of this form remembered (the forks start from here)
        report(f"import: {label} PDF form, our parsing vs reading the PDF (×{number})",
               "normalise, parse, propose, dump", "pypdf text (and fields)",
               pairs(ours_only, library, runs), "ours < 20 % of the whole (ratio < 0.25×)")  # fmt: skip
        report(f"import: {label} PDF form, each as the first (no word remembered) (×{number})",
               "normalise, parse, propose, dump", "pypdf text (and fields)",
               pairs(lambda: ours_only(forget=True), library, runs),
               "ours < 20 % of the whole (ratio < 0.25×)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--forms", type=int, default=None, help="forms in the batch (1000)")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per comparison")
    parser.add_argument("--pdf-only", action="store_true", help="only the paired PDF rows")
    args = parser.parse_args()
    quick = args.quick
    runs = args.pairs or (3 if quick else 5)
    if args.pdf_only:
        paired_pdf(runs, 5 if quick else 20)
        return
    bench_seed(20 if quick else 200)
    bench_batch(args.forms or (100 if quick else 1000))
    bench_pdf(3 if quick else 20)
    bench_fillable(3 if quick else 20)
    paired(runs, 5 if quick else 20, args.forms or (100 if quick else 1000))
    paired_pdf(runs, 5 if quick else 20)


if __name__ == "__main__":
    main()
