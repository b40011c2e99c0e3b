"""The workbench refuses: no token, no CSRF token, a foreign host or origin, an upload over the
cap or of the wrong type, a path outside the workspace."""

from __future__ import annotations

import os

import httpx
import pytest

from support.helpers import SAMPLES

FORM = (SAMPLES / "digframe" / "form.txt").read_bytes()


@pytest.fixture
def client(live):
    with httpx.Client(base_url=live.base) as c:
        assert c.get(f"/?token={live.token}").status_code == 303  # sets the cookie
        yield c


def _upload(client, live, data: bytes, name: str = "x.txt", csrf: str | None = None):
    fields = {"csrf": live.csrf if csrf is None else csrf}
    return client.post("/import", data=fields, files={"form": (name, data)})


def test_the_server_binds_localhost_only(live):
    assert live.base.startswith("http://127.0.0.1:")
    assert live.server.sock.getsockname()[0] == "127.0.0.1"


@pytest.mark.parametrize("where", ["/", "/import", "/static/style.css", "/i/x/download/package"])
def test_a_request_without_the_token_is_refused(live, where):
    assert httpx.get(live.base + where).status_code == 403
    assert httpx.get(live.base + where + "?token=wrong").status_code == 403
    assert httpx.get(live.base + where, cookies={"arkivlucka-token": "wrong"}).status_code == 403


def test_the_token_in_the_address_becomes_a_cookie(live):
    with httpx.Client(base_url=live.base) as c:
        first = c.get(f"/?token={live.token}")
        assert first.status_code == 303 and first.headers["location"] == "/"
        assert "HttpOnly" in first.headers["set-cookie"]
        assert "SameSite=Strict" in first.headers["set-cookie"]
        assert c.get("/").status_code == 200


def test_another_host_name_is_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 421


def test_a_post_without_the_csrf_token_is_refused(client, live):
    assert _upload(client, live, FORM, csrf="").status_code == 403
    assert _upload(client, live, FORM, csrf="0" * 64).status_code == 403
    assert list(live.workspace.glob("*.yaml")) == []


def test_a_post_from_another_origin_is_refused(client, live):
    r = client.post("/import", data={"csrf": live.csrf}, files={"form": ("x.txt", FORM)},
                    headers={"origin": "https://evil.example"})  # fmt: skip
    assert r.status_code == 403
    assert list(live.workspace.glob("*.yaml")) == []


def test_an_upload_over_the_cap_is_refused(client, live):
    r = _upload(client, live, FORM + b"x" * (600 * 1024))  # the fixture's cap is 512 KiB
    assert r.status_code == 413
    assert "upload-too-large" in r.text
    assert list(live.workspace.glob("*.yaml")) == []


def test_an_upload_over_the_cap_without_a_length_is_cut_off(client, live):
    def chunks():
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="csrf"\r\n\r\n'
        yield live.csrf.encode() + b"\r\n" + boundary
        yield b'Content-Disposition: form-data; name="form"; filename="f.txt"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 32 * 1024  # 1.25 MiB in all, no Content-Length: sent chunked
        yield b"\r\n--xyz--\r\n"

    r = client.post("/import", content=chunks(),
                    headers={"content-type": "multipart/form-data; boundary=xyz"})  # fmt: skip
    assert r.status_code == 413
    assert list(live.workspace.glob("*.yaml")) == []


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\x00" * 200,  # an image of a kind arkivlucka does not read, named .txt
        b"PK\x03\x04" + b"\x00" * 200,  # a broken zip named .docx
        b"\xd0\xcf\x11\xe0" + b"\x00" * 200,  # an old Word .doc
        b"",
    ],
    ids=["gif-as-txt", "broken-zip", "old-doc", "empty"],
)
def test_an_upload_of_the_wrong_type_is_refused_by_its_content(client, live, data):
    r = _upload(client, live, data, name="formular.txt")
    assert r.status_code == 400
    assert "upload-wrong-type" in r.text or "upload-missing" in r.text
    assert list(live.workspace.glob("*.yaml")) == []


def test_the_upload_name_never_becomes_a_path(client, live):
    r = _upload(client, live, FORM, name="../../../etc/evil.yaml")
    assert r.status_code == 303
    name = r.headers["location"].rsplit("/", 1)[-1]
    assert name == "2024-02-07-trelleborgs-kommun"
    assert sorted(p.name for p in live.workspace.rglob("*.yaml")) == [f"{name}.yaml"]
    assert not (live.workspace.parent / "etc").exists()


@pytest.mark.parametrize("pick", ["../outside.txt", "/etc/passwd", "link/outside.txt"])
def test_a_form_outside_the_workspace_is_refused(client, live, pick):
    outside = live.workspace.parent / "outside.txt"
    outside.write_bytes(FORM)
    os.symlink(live.workspace.parent, live.workspace / "link")
    r = client.post("/import", data={"csrf": live.csrf, "pick": pick})
    assert r.status_code == 400
    assert "path-outside-workspace" in r.text
    assert list(live.workspace.glob("*.yaml")) == []


@pytest.mark.parametrize(
    "query",
    ["what=inventory&path=../outside.txt", "what=inventory&path=/etc/passwd",
     "what=entry&file=../../../outside.txt", "what=report&creator=../x"],
)  # fmt: skip
def test_a_download_outside_the_workspace_is_refused(client, live, query):
    (live.workspace.parent / "outside.txt").write_text("secret", encoding="utf-8")
    assert _upload(client, live, FORM).status_code == 303
    name = live.workspace.glob("*.yaml").__next__().stem
    what, _, rest = query.partition("&")
    r = client.get(f"/i/{name}/download/{what.split('=')[1]}?{rest}")
    assert r.status_code in (403, 404)
    assert "secret" not in r.text


def test_a_merge_into_a_file_outside_the_workspace_is_refused(client, live):
    outside = live.workspace.parent / "inventory.xml"
    outside.write_bytes((SAMPLES / "digframe" / "arkivforteckning.xml").read_bytes())
    assert _upload(client, live, FORM).status_code == 303
    name = next(live.workspace.glob("*.yaml")).stem
    r = client.post(f"/i/{name}/file/merge",
                    data={"csrf": live.csrf, "creator": "x", "inventory": "../inventory.xml"})  # fmt: skip
    assert r.status_code == 400
    assert "path-outside-workspace" in r.text
    assert outside.read_bytes() == (SAMPLES / "digframe" / "arkivforteckning.xml").read_bytes()


def test_an_unknown_incident_name_is_refused(client):
    for name in ("..%2F..%2Fetc", "nope", "UPPER"):
        assert client.get(f"/i/{name}").status_code == 404
