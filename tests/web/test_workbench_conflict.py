"""A file changed on disk while the page is open: detected and shown, nothing lost."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from support.helpers import SAMPLES


def test_a_file_changed_on_disk_is_detected_and_nothing_is_lost(page, live, tmp_path):
    page.goto(live.url)
    page.goto(live.base + "/import")
    page.set_input_files("#form-file", str(SAMPLES / "digframe" / "form.txt"))
    with page.expect_navigation():
        page.get_by_role("button", name="Läs formuläret").click()
    page.wait_for_url(re.compile(r"/i/[a-z0-9-]+$"))
    name = page.url.rsplit("/", 1)[-1]
    incident = live.workspace / f"{name}.yaml"

    # the archivist types on the page while someone else edits the file
    page.fill("#f-reference", "KS 2024/17")
    elsewhere = incident.read_text(encoding="utf-8").replace(
        "organisation: Trelleborgs kommun",
        "# checked by the registrar\norganisation: Trelleborgs kommun",
    )
    incident.write_text(elsewhere, encoding="utf-8")

    with page.expect_navigation():
        page.locator("#fields").get_by_role("button", name="Spara").click()
    expect(page.locator("h1")).to_have_text("Filen har ändrats på disken")
    assert "file-changed" in page.inner_text("[role=alert]")
    assert incident.read_text(encoding="utf-8") == elsewhere  # not overwritten
    assert page.input_value("textarea[name='f-reference']") == "KS 2024/17"  # not lost
    assert "# checked by the registrar" in page.inner_text("pre.file")
    # only what differs from the file now is carried over: nothing else can be undone
    assert page.locator("dl.unsaved textarea").count() == 1
    page.screenshot(path=str(tmp_path / "conflict.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="För in mina ändringar i den nuvarande filen").click()
    assert page.input_value("#f-reference") == "KS 2024/17"
    text = incident.read_text(encoding="utf-8")
    assert "# checked by the registrar" in text  # the other edit is kept
    assert "reference: KS 2024/17" in text


def test_a_stale_post_is_refused_without_a_browser(live):
    import httpx

    with httpx.Client(base_url=live.base) as c:
        c.get(f"/?token={live.token}")
        r = c.post("/import", data={"csrf": live.csrf},
                   files={"form": ("f.txt", (SAMPLES / "digframe" / "form.txt").read_bytes())})  # fmt: skip
        name = r.headers["location"].rsplit("/", 1)[-1]
        before = (live.workspace / f"{name}.yaml").read_bytes()
        r = c.post(f"/i/{name}/proposal", data={"csrf": live.csrf, "sha": "0" * 64,
                                                "path": "lost_records[0]", "op": "reject"})  # fmt: skip
        assert r.status_code == 409
        assert (live.workspace / f"{name}.yaml").read_bytes() == before
