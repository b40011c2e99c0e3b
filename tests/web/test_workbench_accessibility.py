"""WCAG 2.1 AA in the browser: axe-core (from its npm package) on every page, keyboard, focus."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.helpers import SAMPLES
from support.web_fixtures import axe_violations


def _violations(page, axe_source: str) -> list[str]:
    return axe_violations(page, axe_source)


@pytest.fixture
def imported(page, live) -> str:
    page.goto(live.url)
    page.goto(live.base + "/import")
    page.set_input_files("#form-file", str(SAMPLES / "digframe" / "form.txt"))
    page.get_by_role("button", name="Läs formuläret").click()
    page.wait_for_url(re.compile(r"/i/[a-z0-9-]+$"))
    return page.url.rsplit("/", 1)[-1]


@pytest.mark.parametrize("where", ["/", "/import", "/i/{name}", "/i/{name}/preview",
                                   "/i/{name}/file"])  # fmt: skip
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_passes_axe_wcag21_aa(page, live, imported, axe_source, where, lang):
    page.goto(f"{live.base}/lang/{lang}")
    page.goto(live.base + where.format(name=imported))
    assert page.locator("html").get_attribute("lang") == lang
    assert _violations(page, axe_source) == []


def test_every_input_has_a_label_and_focus_is_visible(page, live, imported):
    page.goto(f"{live.base}/i/{imported}")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
             .map(el => el.name)"""
    )
    assert unlabelled == []
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent")
    assert first == "Hoppa till innehållet"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_review_can_be_done_with_the_keyboard(page, live, imported):
    """Tab to the first Confirm button and press Enter: the proposal is confirmed."""
    page.goto(f"{live.base}/i/{imported}")
    before = page.locator("tr.proposal").count()
    for _ in range(200):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Bekräfta"):
            break
    else:
        pytest.fail("no Confirm button reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("tr.proposal")).to_have_count(before - 1)
