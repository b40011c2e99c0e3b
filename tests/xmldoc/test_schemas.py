"""The schemas we know: our own found beside the package and compiled once per process."""

from __future__ import annotations

from pathlib import Path

from arkivlucka.xmldoc import schemas
from arkivlucka.xmldoc.namespaces import ARKIVREDOVISNING, METS


def test_our_schemas_folder_is_a_path_holding_our_schemas() -> None:
    folder = schemas.bundled_schema_dir()
    assert isinstance(folder, Path)
    for info in schemas.KNOWN:
        if info.bundled:
            assert (folder / info.filename).is_file()
            assert schemas.bundled_schema_path(info.filename) == folder / info.filename


def test_our_schema_is_compiled_once_and_shared_with_load_schema() -> None:
    info = schemas.lookup(ARKIVREDOVISNING, "ArkivbeskrivningPost")
    assert info is not None and info.bundled
    first = schemas.schema_for(info)
    assert schemas.schema_for(info) is first
    path = schemas.bundled_schema_path(info.filename)
    assert schemas.load_schema(str(path)) is first


def test_schema_info_compares_and_hashes_by_value() -> None:
    info = schemas.lookup(METS, "mets")
    assert info is not None
    copy = schemas.SchemaInfo(
        info.namespace, info.root, info.filename, info.label, info.bundled, info.imports,
        info.needs,
    )  # fmt: skip
    assert copy == info and hash(copy) == hash(info) and copy is not info
    other = schemas.SchemaInfo(info.namespace, info.root, info.filename, info.label)
    assert other != info  # bundled, imports and needs differ
    assert "mets/mets.xsd" in repr(info)
    assert info.official_keys()[0] == "mets/mets.xsd"
