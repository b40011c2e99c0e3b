"""The public API: ``__all__`` is complete and cheap to import; docs/api.md's examples run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import arkivlucka
from support.helpers import REPO, SAMPLES, python_says

API_DOC = REPO / "docs" / "api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), re.S)


def test_every_public_name_resolves_and_is_documented() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for name in arkivlucka.__all__:
        value = getattr(arkivlucka, name)
        if name == "__version__":
            continue
        assert value.__doc__, f"{name} has no docstring"
        assert f"{name}" in doc, f"{name} is not in docs/api.md"
    assert sorted(dir(arkivlucka)) == sorted(arkivlucka.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        arkivlucka.load_incidents  # noqa: B018


def test_import_is_cheap() -> None:
    code = "import sys, arkivlucka; print(sorted(m for m in ('lxml', 'yaml', 'click') if m in sys.modules))"
    said = python_says(code)
    assert said.strip() == "[]"


def test_doc_examples_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(BLOCKS) >= 8
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for i, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"docs/api.md block {i + 1}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"docs/api.md example {i + 1} failed: {exc!r}\n{block}")
    assert (tmp_path / "forteckning.csv").is_file()
    assert (tmp_path / "out" / "ks-digframe" / "METS.xml").is_file()
