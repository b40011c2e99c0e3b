from __future__ import annotations

from arkivlucka.files.tables import read_table

COLUMNS = {"a": ("Alfa",), "b": ("Beta",), "c": ("Gamma",)}


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_default_header_is_the_first_row(tmp_path):
    path = write(tmp_path, "Titel;x\nAlfa;Beta\n1;2\n")
    table, findings = read_table(path, COLUMNS)
    assert table.preamble == []
    assert [f.code for f in findings] == ["unknown-column", "unknown-column"]
    assert table.rows[0].number == 2


def test_header_search_finds_the_header_below_title_rows(tmp_path):
    path = write(
        tmp_path, "Dokumenthanteringsplan för nämnden\nVersion;2\n\nAlfa;Beta;Gamma\n1;2;3\n"
    )
    table, findings = read_table(path, COLUMNS, header_search=10)
    assert findings == []
    assert table.delimiter == ";"  # taken from the first line that has one
    assert [n for n, _ in table.preamble] == [1, 2]
    assert table.preamble[1][1] == ["Version", "2"]
    assert table.rows[0].number == 5
    assert table.rows[0].cells == {"a": "1", "b": "2", "c": "3"}


def test_delimiter_ignores_commas_inside_quotes(tmp_path):
    path = write(tmp_path, '"Plan, utkast"\nAlfa;Beta\n"1,5";2\n')
    table, _ = read_table(path, COLUMNS, header_search=5)
    assert table.delimiter == ";"
    assert table.rows[0].cells == {"a": "1,5", "b": "2"}


def test_values_beyond_the_header_are_reported_not_dropped_silently(tmp_path):
    from arkivlucka.files.tables import read_table

    path = tmp_path / "ragged.csv"
    path.write_text("Signum;Rubrik\nA1;Protokoll;extra;;more\nA2;Skrivelser\n", encoding="utf-8")
    table, findings = read_table(path, {"signum": ["Signum"], "rubrik": ["Rubrik"]})
    found = [(f.code, f.line, f.path) for f in findings]
    assert found == [("cell-without-header", 2, "C")]
    assert "C, E" in findings[0].message
    assert [r.cells for r in table.rows] == [
        {"signum": "A1", "rubrik": "Protokoll"},
        {"signum": "A2", "rubrik": "Skrivelser"},
    ]
