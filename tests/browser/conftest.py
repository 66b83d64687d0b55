"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download is never used: `.ci/system-packages` installs `chromium`, and
it is launched from /usr/bin/chromium. The live server runs in a thread of this process and shares
the test database (SQLite on disk, or the PostgreSQL test database).
"""

import os
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from playwright.sync_api import sync_playwright

from tests.commerce.factories import StaffUserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STAFF_EMAIL = "merchant@example.com"
STAFF_PASSWORD = "secret-password"  # the factory's password


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    """Headless Chromium for the module's tests (one launch: it takes seconds).

    While Playwright's sync API is open it keeps an asyncio loop running in this thread, and
    Django then hands out *other* connection objects (asgiref locals follow the loop's context).
    That connection gets the serialized migration data too, so `serialized_rollback` keeps
    working, and it is closed before Playwright stops. The ORM calls the tests make between
    browser steps are plain synchronous code in the main thread, so Django's async-safety guard
    is lifted for that time only.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run .ci/system-packages (apt-get install chromium)")
    contents = getattr(connection, "_test_serialized_contents", None)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if contents is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            with django_db_blocker.unblock():
                connections.close_all()  # the connections opened while the loop ran


@pytest.fixture(scope="module")
def browser_context(browser, live_server):
    """One browser context for the module (a context's first page load takes seconds here)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1360, "height": 900}, locale="en-US"
    )
    # Start with the admin's navigation sidebar folded: the screens get the full width.
    context.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, transactional_db):
    """A new page for one test, signed out (no cookies from the tests before)."""
    browser_context.clear_cookies()
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def merchant(transactional_db):
    return StaffUserFactory(email=STAFF_EMAIL, first_name="Mia")


@pytest.fixture
def logged_in(page, merchant):
    """A page signed in to the admin through the real login form."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


@pytest.fixture
def screenshot(tmp_path):
    """Save a PNG of the page: into $ADMIN_SCREENSHOTS_DIR when set (docs/screenshots), else tmp."""
    target = Path(os.environ.get("ADMIN_SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)

    def take(page, name, *, full_page=True):
        path = target / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data(django_db_blocker):
    """Leave the database as `migrate` left it for the tests that run after this module.

    These tests use `serialized_rollback=True`: each starts from the data the migrations seeded
    (currencies, the manual payment provider, the store and its default channel) but ends with a
    flush that removes it. Load that data back once the module is done.
    """
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)
