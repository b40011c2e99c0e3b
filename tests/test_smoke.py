from __future__ import annotations

from arkivlucka.cli import cli
from support.helpers import assert_valid


def test_describe_sample_writes_valid_entries(runner, sample_incident, tmp_path):
    result = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.rglob("*.xml"))
    assert [f.name for f in files] == ["arkivbeskrivning.xml", "arkivforteckning.xml"]
    for f in files:
        assert_valid(f)
