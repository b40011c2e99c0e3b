"""The whole workbench flow in a real headless browser, on the Digframe sample form.

Import, confirm the proposals, edit a period, add a records creator, choose the plan code,
preview, write the entries, merge into an inventory (diff first), package, verify, report —
a screenshot of each step under tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path

from arkivlucka import load_incident, make_documents, read_plan
from support.helpers import SAMPLES, assert_valid
from support.web_fixtures import fixed_context

FORM = SAMPLES / "digframe" / "form.txt"
RECORD_TYPE = "Producerat material: Utredningar, kartläggningar"


def _shot(page, tmp_path: Path, n: int, what: str) -> Path:
    path = tmp_path / "screenshots" / f"{n:02d}-{what}.png"
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def _submit(page, button) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def _import(page, live) -> str:
    page.goto(live.url)
    page.get_by_role("link", name="Läs in ett formulär").first.click()
    page.set_input_files("#form-file", str(FORM))
    _submit(page, page.get_by_role("button", name="Läs formuläret"))
    page.wait_for_url(re.compile(r"/i/[a-z0-9-]+$"))
    return page.url.rsplit("/", 1)[-1]


def test_the_whole_flow_on_the_digframe_form(page, live, tmp_path):
    page.goto(live.url)
    assert page.locator("h1").inner_text() == "Incidenter i arbetsmappen"
    _shot(page, tmp_path, 1, "start")

    name = _import(page, live)
    assert (live.workspace / f"{name}.yaml").is_file()
    assert (live.workspace / "forms" / f"{name}.txt").read_bytes() == FORM.read_bytes()
    assert page.locator("tr.proposal").count() == 8  # 4 lost records, 2 systems, 2 extracts
    assert "»tidplaner« (scope)" in page.locator("#proposals").inner_text()
    _shot(page, tmp_path, 2, "import-review")

    while page.locator("tr.proposal").count():
        _submit(page, page.locator("tr.proposal").first.get_by_role("button", name="Bekräfta"))
    assert "Alla förslag är avgjorda." in page.locator("#proposals").inner_text()
    text = (live.workspace / f"{name}.yaml").read_text(encoding="utf-8")
    assert re.search(r"^\s+proposed: true", text, re.M) is None
    assert text.startswith("# Imported by 'arkivlucka import'")  # comments kept
    _shot(page, tmp_path, 3, "proposals-confirmed")

    # the period editor of the first lost record (the form gives no period for it)
    page.fill("#f-lost_records-0-period-start", "2019")
    page.fill("#f-lost_records-0-period-end", "2023-10-19")
    page.select_option("#f-lost_records-0-extent", label="delvis")
    _submit(
        page, page.locator("#lr-0").get_by_role("button", name="Spara den förlorade handlingen")
    )
    assert page.input_value("#f-lost_records-0-period-end") == "2023-10-19"

    # a missing fact links to its field; the system editor fills it
    link = page.locator("#findings a", has_text="System 2: Leverantör")
    assert link.get_attribute("href") == "#f-systems-1-supplier"
    page.fill("#f-systems-1-supplier", "Stratsys AB")
    _submit(page, page.locator("#systems-1").get_by_role("button", name="Spara"))
    assert "supplier: Stratsys AB" in (live.workspace / f"{name}.yaml").read_text(encoding="utf-8")

    page.fill("#c-name", "Kommunstyrelsen")
    page.fill("#c-dept", "Kommunledningsförvaltningen")
    _submit(page, page.get_by_role("button", name="Lägg till"))
    assert "Kommunstyrelsen (Kommunledningsförvaltningen)" in page.locator("#creators").inner_text()
    _shot(page, tmp_path, 4, "records-creator")

    for i in range(4):
        option = page.locator(f"#plan-{i} option", has_text=RECORD_TYPE).last
        page.select_option(f"#plan-{i}", value=option.get_attribute("value"))
        _submit(page, page.locator(f"#lr-{i}").get_by_role("button", name="Välj"))
    assert page.locator("#lost-records").inner_text().count(f"Vald: 2.2 {RECORD_TYPE}") == 4
    assert "hindrar posterna" in page.inner_text("#findings")
    assert "0 problem hindrar posterna" in page.inner_text("#findings")
    _shot(page, tmp_path, 5, "plan-codes")

    page.get_by_role("link", name="Förhandsgranska posterna").first.click()
    prose = page.locator(".prose").inner_text()
    assert "Informationsförlust i Digframe" in prose
    assert "2019–19 oktober 2023" in prose or "2019" in prose
    assert page.locator("section h2").first.inner_text() == "Kommunstyrelsen"
    _shot(page, tmp_path, 6, "preview")

    page.get_by_role("link", name="Arkivredovisa").first.click()
    _submit(page, page.get_by_role("button", name="Skriv posterna"))
    assert "Skrivna poster: 2" in page.inner_text("#result")
    entries = live.workspace / "out" / name / "entries" / "kommunstyrelsen"
    for doc in ("arkivbeskrivning.xml", "arkivforteckning.xml"):
        assert_valid(entries / doc)
    # the file is the one source of truth: the library (as the CLI) makes the same entries
    made = make_documents(load_incident(live.workspace / f"{name}.yaml"), fixed_context(),
                          read_plan(live.workspace / "dokumenthanteringsplan.csv"))  # fmt: skip
    for rel, data in made.documents.items():
        assert (entries.parent / rel).read_bytes() == data
    _shot(page, tmp_path, 7, "entries-written")

    before = (live.workspace / "arkivforteckning.xml").read_bytes()
    page.select_option("#m-inventory", "arkivforteckning.xml")
    _submit(page, page.get_by_role("button", name="Visa ändringarna först"))
    diff = page.locator("pre.diff").inner_text()
    assert "+" in diff and "Lucka" in diff
    assert (live.workspace / "arkivforteckning.xml").read_bytes() == before  # diff only
    _shot(page, tmp_path, 8, "merge-diff")
    _submit(page, page.get_by_role("button", name="För in i arkivförteckningen"))
    assert "uppdaterades" in page.inner_text("#result")
    merged = (live.workspace / "arkivforteckning.xml").read_bytes()
    assert merged != before and b"Lucka" in merged
    assert_valid(live.workspace / "arkivforteckning.xml")

    _submit(page, page.get_by_role("button", name="Bygg paketet"))
    assert "Paketet är byggt" in page.inner_text("#result")
    assert (live.workspace / "out" / name / "package.zip").is_file()
    _shot(page, tmp_path, 9, "package")

    _submit(page, page.get_by_role("button", name="Kontrollera paketet"))
    assert "Paketet är giltigt." in page.inner_text("#result")
    _shot(page, tmp_path, 10, "verified")

    _submit(page, page.get_by_role("button", name="Gör rapporten"))
    assert "Rapporten är skriven" in page.inner_text("#result")
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile("Ladda ned rapporten")).click()
    report = Path(got.value.path()).read_text(encoding="utf-8")
    assert "Kommunstyrelsen" in report and "Tidplaner" in report
    _shot(page, tmp_path, 11, "report")

    page.goto(live.base + "/")
    assert page.locator(f"a[href='/i/{name}']").count() == 1
    assert page.locator("td.state-packaged").inner_text() == "paketerad"
    _shot(page, tmp_path, 12, "start-packaged")


def test_english_is_a_switch(page, live):
    page.goto(live.url)
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Incidents in the workspace"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Svenska").click()
    assert page.locator("h1").inner_text() == "Incidenter i arbetsmappen"
