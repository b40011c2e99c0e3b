"""Records creators chosen from the register, or added to it, on the review page."""

from __future__ import annotations

import re

import httpx
import pytest

from support.helpers import SAMPLES
from support.web_fixtures import TOKEN, fixed_context


@pytest.fixture
def with_register(workspace, tmp_path, monkeypatch):
    from arkivlucka.register.model import Creator
    from arkivlucka.register.service import add_creators, upgrade_register
    from arkivlucka.web.routes import create_app
    from arkivlucka.web.server import Server

    monkeypatch.delenv("ARKIVLUCKA_DB", raising=False)
    db = str(tmp_path / "register.db")
    upgrade_register(db)
    add_creators(db, [Creator("Socialnämnden", department="Socialförvaltningen",
                              org_number="212000-1124")])  # fmt: skip
    server = Server(create_app(workspace, fixed_context, token=TOKEN, register=db)).start()
    try:
        with httpx.Client(base_url=server.base) as client:
            client.get(f"/?token={TOKEN}")
            yield client, server.app.state.settings.csrf, db, workspace
    finally:
        server.stop()


def _import(client, csrf) -> tuple[str, str]:
    form = (SAMPLES / "digframe" / "form.txt").read_bytes()
    r = client.post("/import", data={"csrf": csrf}, files={"form": ("f.txt", form)})
    name = r.headers["location"].rsplit("/", 1)[-1]
    page = client.get(f"/i/{name}").text
    return name, re.search(r'name="sha" value="([0-9a-f]+)"', page).group(1)


def test_a_records_creator_is_chosen_from_the_register(with_register):
    client, csrf, _, ws = with_register
    name, sha = _import(client, csrf)
    page = client.get(f"/i/{name}").text
    assert '<option value="Socialnämnden">Socialförvaltningen</option>' in page
    r = client.post(f"/i/{name}/creator", data={"csrf": csrf, "sha": sha, "name": "socialnämnden"})
    assert r.status_code == 303
    text = (ws / f"{name}.yaml").read_text(encoding="utf-8")
    assert (
        "- name: Socialnämnden\n    department: Socialförvaltningen\n    code: 212000-1124" in text
    )


def test_a_new_records_creator_is_added_to_the_register(with_register):
    from arkivlucka.register.service import list_creators

    client, csrf, db, ws = with_register
    name, sha = _import(client, csrf)
    r = client.post(f"/i/{name}/creator", data={"csrf": csrf, "sha": sha, "to_register": "1",
                    "name": "Kultur- och fritidsnämnden", "department": "Kulturförvaltningen"})  # fmt: skip
    assert r.status_code == 303
    assert [c.name for c in list_creators(db)] == ["Kultur- och fritidsnämnden", "Socialnämnden"]
    assert "Kultur- och fritidsnämnden" in (ws / f"{name}.yaml").read_text(encoding="utf-8")


def test_writing_the_entries_records_the_incident_in_the_register(with_register):
    import shutil

    client, csrf, db, ws = with_register
    shutil.copyfile(SAMPLES / "digframe" / "incident.yaml", ws / "digframe.yaml")
    r = client.post("/i/digframe/file/describe", data={"csrf": csrf})
    assert r.status_code == 200, r.text
    assert "Skrivna poster: 2" in r.text
    from arkivlucka.register.service import incident_states

    states, _ = incident_states(db)
    assert [s.state for s in states] == ["unchanged"]
    start = client.get("/").text
    assert "Incidenter i registret" in start
    assert re.search(
        r"<li>incident-[0-9a-f]{12} – filen oförändrad sedan registreringen</li>", start
    )
