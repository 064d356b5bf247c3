"""A person's view of `spacekg serve`: headless Chromium (Debian's, installed by `make
install`) opens the page, picks a named query from the menu, runs it in YASGUI and sees its
rows. Playwright drives the system browser; it never downloads one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spacekg.queries import run_query
from tests.server.conftest import served

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine and it could not be installed: run 'make install' as root "
                    "(it runs apt-get install chromium), or install Debian's chromium package")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing; pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def test_a_named_query_runs_in_the_browser_and_shows_its_rows(browser, shipped_store):
    expected = run_query(shipped_store, "assertions-about", {"entity": "MOD"})
    with served(shipped_store) as server:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.url + "/", wait_until="load", timeout=20_000)
        page.wait_for_selector("#named-query[data-loaded]", timeout=20_000)
        page.select_option("#named-query", "assertions-about")
        panel = ".tabPanel.active"
        assert "VALUES (?entity)" in page.inner_text(f"{panel} .CodeMirror")
        page.click(f"{panel} .yasqe_queryButton")
        page.wait_for_selector(f"{panel} .yasr table tbody tr", timeout=20_000)
        rows = page.locator(f"{panel} .yasr table tbody tr")
        assert rows.count() == len(expected)
        table = page.inner_text(f"{panel} .yasr table tbody")
        assert "procure space ISR services through a Private Finance Initiative" in table
        page.close()
    assert not errors, errors
    assert all(url.startswith(server.url) for url in requests), [u for u in requests if not u.startswith(server.url)]
