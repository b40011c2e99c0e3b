"""The live review: findings and preview of unsaved edits (token and CSRF needed, nothing
written), the page's own script under its Content-Security-Policy, and every field shown with
the form's words and its certainty."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from support.helpers import SAMPLES
from support.web_fixtures import axe_violations

FORM = SAMPLES / "digframe" / "form.txt"


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and modification time."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def sample(live) -> str:
    """The reviewed Digframe incident (with its records creator) in the workspace."""
    shutil.copyfile(SAMPLES / "digframe" / "incident.yaml", live.workspace / "digframe.yaml")
    return "digframe"


@pytest.fixture
def client(live):
    with httpx.Client(base_url=live.base, timeout=60) as c:
        assert c.get(f"/?token={live.token}").status_code == 303
        yield c


def _sha(client, name: str) -> str:
    page = client.get(f"/i/{name}")
    assert page.status_code == 200
    return re.search(r'name="sha" value="([0-9a-f]{64})"', page.text).group(1)


def _part(html: str, name: str) -> str:
    """The part ``name`` of a live answer (up to the next part)."""
    chunks = {c.split('"', 1)[0]: c for c in html.split('<div data-live-part="')[1:]}
    assert name in chunks, f"no {name} part in {html[:300]}"
    return chunks[name]


def test_the_live_update_needs_the_csrf_token(client, live, sample):
    before = _files(live.workspace)
    sha = _sha(client, sample)
    for csrf in ("", "0" * 64):
        r = client.post(f"/i/{sample}/live", data={"csrf": csrf, "sha": sha, "f-reference": "x"})
        assert r.status_code == 403
    assert client.post(f"/i/{sample}/live", data={"sha": sha}).status_code == 403
    assert _files(live.workspace) == before


def test_the_live_update_needs_the_token(live, sample):
    data = {"csrf": live.csrf, "f-reference": "KS 2024/1"}
    assert httpx.post(f"{live.base}/i/{sample}/live", data=data).status_code == 403
    r = httpx.post(f"{live.base}/i/{sample}/live", data=data, cookies={"arkivlucka-token": "x"})
    assert r.status_code == 403


def test_an_unsaved_edit_shows_in_the_preview_and_nothing_is_written(client, live, sample):
    sha = _sha(client, sample)
    before = _files(live.workspace)
    r = client.post(
        f"/i/{sample}/live",
        data={"csrf": live.csrf, "sha": sha, "f-summary": "Modulen Zebrakarta stängdes."},
    )
    assert r.status_code == 200
    preview = _part(r.text, "preview")
    assert "Kommunstyrelsen" in preview
    assert "Modulen Zebrakarta stängdes." in preview  # in the Swedish text and the XML
    assert preview.count("Zebrakarta") >= 2
    assert "Zebrakarta" not in (live.workspace / "digframe.yaml").read_text(encoding="utf-8")
    assert _files(live.workspace) == before  # nothing written, not even the entries


def test_the_findings_follow_the_unsaved_values(client, live, sample):
    sha = _sha(client, sample)
    base = {"csrf": live.csrf, "sha": sha}
    now = client.post(f"/i/{sample}/live", data=base).text
    assert 'href="#f-reference"' in _part(now, "open")  # the form gives no diarienummer
    filled = client.post(f"/i/{sample}/live", data={**base, "f-reference": "KS 2024/17"}).text
    assert 'href="#f-reference"' not in _part(filled, "open")
    assert "KS 2024/17" in _part(filled, "preview")
    bad = client.post(f"/i/{sample}/live", data={**base, "f-occurred-at": "igår"}).text
    assert "problem hindrar posterna" in _part(bad, "open")
    assert 'href="#f-occurred-at"' in _part(bad, "open")  # the problem links to its field
    assert "0 problem" not in _part(bad, "status")


def test_a_file_changed_on_disk_is_said_in_the_live_status(client, live, sample):
    r = client.post(f"/i/{sample}/live", data={"csrf": live.csrf, "sha": "0" * 64})
    assert r.status_code == 200
    assert "Filen har ändrats på disken" in _part(r.text, "status")


def test_every_response_carries_the_content_security_policy(client, sample):
    for where in ("/", f"/i/{sample}", "/static/live.js"):
        policy = client.get(where).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = client.get("/static/live.js")
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))


def _row(page, field_id: str):
    return page.locator("table.fields tr", has=page.locator(f"#{field_id}"))


def test_every_field_shows_the_form_words_and_its_certainty(page, live):
    page.goto(live.url)
    page.goto(live.base + "/import")
    page.set_input_files("#form-file", str(FORM))
    page.get_by_role("button", name="Läs formuläret").click()
    page.wait_for_url(re.compile(r"/i/[a-z0-9-]+$"))
    name = _row(page, "f-reported_by-name")
    expect(name).to_contain_text("Tova Halldén")
    expect(name).to_contain_text("formuläret, l. 20")
    expect(name).to_contain_text("läst ur formuläret")
    expect(_row(page, "f-unit")).to_contain_text("l. 16–17")  # a value over two lines
    expect(_row(page, "f-occurred-at")).to_contain_text("uppskattad")
    expect(_row(page, "f-reference")).to_contain_text("står inte i formuläret")
    # the organisation was taken from the form's text, not from a line: no line is invented
    expect(_row(page, "f-organisation")).to_contain_text("källa okänd")
    expect(page.locator("#lr-0 .source")).to_contain_text("»tidplaner« (scope)")
    expect(page.locator("#lr-0 legend")).to_contain_text("förslag")
    # changed by hand and saved: no longer "read from the form"; the form's words stay beside it
    page.fill("#f-reported_by-name", "Eva Berg")
    page.get_by_role("button", name="Spara", exact=True).first.click()
    page.wait_for_load_state()
    name = _row(page, "f-reported_by-name")
    expect(name).to_contain_text("ändrad för hand")
    expect(name).not_to_contain_text("läst ur formuläret")
    expect(name).to_contain_text("Tova Halldén")  # what the form says, at l. 20
    expect(page.locator("#f-reported_by-name")).to_have_value("Eva Berg")


def test_a_hand_written_file_has_no_invented_sources(client, sample):
    html = client.get(f"/i/{sample}").text
    assert "läst ur formuläret" not in html  # no import comments: the sources are not known
    assert "källa okänd" in html


def _wait_live(page, after: int) -> int:
    page.wait_for_function(
        "(n) => Number(document.querySelector('#live').dataset.liveUpdated || 0) > n", arg=after
    )
    return int(page.locator("#live").get_attribute("data-live-updated"))


def test_typing_updates_the_preview_and_findings_without_saving(
    page, live, sample, tmp_path, axe_source
):
    incident = live.workspace / "digframe.yaml"
    before = incident.read_bytes()
    page.goto(live.url)
    page.goto(f"{live.base}/i/{sample}")
    n = _wait_live(page, 0)  # the first update comes when the page opens
    preview = page.locator("[data-live-target=preview]")
    expect(preview).to_contain_text("Kommunstyrelsen")
    expect(page.locator("[data-live-target=open] a[href='#f-reference']")).to_have_count(1)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page.screenshot(path=str(shots / "01-live-opened.png"), full_page=True)

    page.locator("#f-summary").fill("")
    page.locator("#f-summary").type("Modulen Zebrakarta stängdes utan uttag.")
    n = _wait_live(page, n)
    expect(preview).to_contain_text("Modulen Zebrakarta stängdes utan uttag.")
    page.locator("#f-reference").type("KS 2024/17")
    _wait_live(page, n)
    expect(page.locator("[data-live-target=open] a[href='#f-reference']")).to_have_count(0)
    expect(page.locator("#live-status")).to_contain_text("osparade ändringar")
    page.screenshot(path=str(shots / "02-live-typed.png"), full_page=True)
    assert (shots / "02-live-typed.png").stat().st_size > 1000
    assert page.locator("#live-status").get_attribute("role") == "status"
    assert page.locator("[data-live-target=open]").get_attribute("aria-live") == "polite"
    assert axe_violations(page, axe_source) == []  # with the live parts swapped in
    assert incident.read_bytes() == before  # nothing saved while typing

    with page.expect_navigation():  # the Save button still saves, as without the script
        page.locator("#fields").get_by_role("button", name="Spara").click()
    assert "KS 2024/17" in incident.read_text(encoding="utf-8")


def test_without_javascript_the_review_still_works(browser, live, sample):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live.url)
        page.goto(f"{live.base}/i/{sample}")
        expect(page.locator("[data-live-target=preview]")).to_contain_text(
            "Förhandsgranska posterna"
        )
        page.fill("#f-reference", "KS 2024/18")
        with page.expect_navigation():
            page.locator("#fields").get_by_role("button", name="Spara").click()
        expect(page.locator("[data-live-target=open] a[href='#f-reference']")).to_have_count(0)
    finally:
        context.close()
