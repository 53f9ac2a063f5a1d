"""The page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright,
against the API served by uvicorn (which serves the built page at `/`) over the session's
Postgres, Redis, SeaweedFS and Celery workers (tests/service_fixtures.py).

`make test` builds the page (`make web`) and installs the browser
(scripts/install-browser.sh) first; these fixtures build it too when run alone.
Nothing here downloads a browser."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

# The served API (which serves the page) and the webhook receiver, as fixtures here too.
from tests.api.conftest import api_url, receiver  # noqa: F401
from tests.service_fixtures import Credential

# web/src/api.ts keeps the key under this name.
KEY_STORAGE = "resume-tailor.api-key"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# Root in a container: no sandbox. The rest keeps Chromium off the network and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="session")
def built_page() -> Path:
    """web/dist, built by `make web` (a no-op when its sources have not changed)."""
    subprocess.run(["make", "-s", "web"], cwd=ROOT, check=True)
    return ROOT / "web" / "dist"


# Module scope, not session: Playwright's sync API keeps an asyncio loop running on this thread
# while it is open, and later tests that call asyncio.run() would fail.
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} missing: run `bash scripts/install-browser.sh`")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM),
                                                args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page_url(built_page: Path, api_url: str) -> str:  # noqa: F811 - the imported fixture
    return api_url


@pytest.fixture
def page(browser: Browser, api_key: Credential, page_url: str) -> Iterator[Page]:
    """A fresh tab that already holds the `default` tenant's API key, as a person who pasted
    it into the key field would."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    # Init scripts run in every document of the tab, frames too (the PDF preview from the S3
    # server, the browser's own viewer, where storage may be null): only the page's origin.
    origin = json.dumps(page_url.rstrip("/"))
    key_name, key = json.dumps(KEY_STORAGE), json.dumps(api_key.key)
    context.add_init_script(
        f"if (location.origin === {origin} && !sessionStorage.getItem({key_name})) "
        f"sessionStorage.setItem({key_name}, {key});")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA and best practices on
    what the page shows now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Page, view: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{view}: " + json.dumps(violations, indent=1)


def assert_fits_phone(page: Page, view: str) -> None:
    """At 375 px nothing makes the page scroll sideways (wide tables scroll in their box)."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    # The elements that stick out, to say what to fix.
    wide = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1
                         && !e.closest('.table-wrap'))  // those scroll in their box
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +
                             Math.round(e.getBoundingClientRect().right))""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"{view} is {width} px wide at {PHONE['width']} px: {wide}"
    page.set_viewport_size(DESKTOP)


def screenshot(page: Page, name: str, tmp_path: Path, *, top: str | None = None,
               height: int = 1400) -> Path:
    """One screenful from the element `top` (a selector) or the page's top, into
    $RT_SCREENSHOTS_DIR (`make screenshots` sets docs/screenshots), else tmp_path."""
    folder = Path(os.environ.get("RT_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.set_viewport_size({"width": DESKTOP["width"], "height": height})
    if top:
        page.locator(top).evaluate("element => element.scrollIntoView({block: 'start'})")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path))
    page.set_viewport_size(DESKTOP)
    return path
