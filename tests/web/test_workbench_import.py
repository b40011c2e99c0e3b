"""Import in the browser: the page says the form is being read, then opens the review; a file
that is no form is reported on the page and nothing is saved."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from support.helpers import SAMPLES
from support.web_fixtures import axe_violations


def _post_import(page, live, path):
    page.goto(live.url)
    page.goto(live.base + "/import")
    page.set_input_files("#form-file", str(path))
    with page.expect_response(
        lambda r: r.url.endswith("/import") and r.request.method == "POST"
    ) as got:
        page.get_by_role("button", name="Läs formuläret").click()
    return got.value


def test_the_page_says_it_is_reading_first_then_opens_the_review(page, live):
    import httpx

    form = (SAMPLES / "digframe" / "form.txt").read_bytes()
    with httpx.Client(base_url=live.base) as client:
        client.get(f"/?token={live.token}")
        parts = []
        with client.stream("POST", "/import", data={"csrf": live.csrf},
                           files={"form": ("f.txt", form)},
                           headers={"accept": "text/html"}) as r:  # fmt: skip
            assert r.status_code == 200
            parts = list(r.iter_text())
    body = "".join(parts)
    assert "<progress" in body.split("Formuläret är läst.")[0]  # the reading is said first
    assert '<meta http-equiv="refresh" content="0; url=/i/2024-02-07-trelleborgs-kommun">' in body
    _post_import(page, live, SAMPLES / "digframe" / "form.txt")
    page.wait_for_url(re.compile(r"/i/2024-02-07-trelleborgs-kommun-2$"))
    expect(page.locator("h1")).to_have_text("Granskning: 2024-02-07-trelleborgs-kommun-2")


def test_a_file_that_is_no_form_is_reported_and_nothing_saved(page, live, tmp_path, axe_source):
    other = tmp_path / "anteckning.txt"
    other.write_text("Inköpslista\nmjölk\nbröd\n", encoding="utf-8")
    _post_import(page, live, other)
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("Formuläret kunde inte läsas; inget sparades.")
    expect(alert).to_contain_text("not an incident form")
    assert list(live.workspace.glob("*.yaml")) == []
    assert axe_violations(page, axe_source) == []
    assert not (live.workspace / "forms").exists() or not any((live.workspace / "forms").iterdir())


def test_a_scanned_form_is_read_by_ocr_and_opens_the_review(live):
    import httpx

    from support.formgen import png_bytes, scan_pages

    text = (SAMPLES / "digframe" / "form.txt").read_text(encoding="utf-8")
    scan = png_bytes(scan_pages(text, dpi=200, rotate=0.5, noise=0.0)[:1])
    with httpx.Client(base_url=live.base, timeout=120) as client:
        client.get(f"/?token={live.token}")
        r = client.post("/import", data={"csrf": live.csrf}, files={"form": ("skannad.png", scan)})
    assert r.status_code == 303 and r.headers["location"].startswith("/i/"), r.text[:500]
    saved = sorted(p.name for p in (live.workspace / "forms").iterdir())
    assert len(saved) == 1 and saved[0].endswith(".png")  # stored as what it is, by content
    incident = next(live.workspace.glob("*.yaml")).read_text(encoding="utf-8")
    assert "IT-säkerhetsincident" in incident and "(image)" in incident  # read from the scan
