"""Browser tests: a real Chromium (Debian's, not Playwright's download) driven by Playwright against live_server.

One browser for all the tests of this package (starting Chromium is the slow part); every test gets its own
context, so cookies and sessions never leak from one test to the next.

The browser is package-scoped rather than session-scoped on purpose: while Playwright runs, its event loop
counts as running in the main thread, so it (and DJANGO_ALLOW_ASYNC_UNSAFE, see below) must end with this
package. Kept for the whole session, every later test touching the ORM would need the variable too, and a
leaked DJANGO_ALLOW_ASYNC_UNSAFE makes `manage.py check --deploy` fail (async.E001) in tests/org/test_security.py.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZHAOSHANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"浏览器测试需要 Chromium：{CHROMIUM} 不存在（apt-get install chromium fonts-noto-cjk，"
            f"或用 ZHAOSHANG_CHROMIUM 指向其他路径）。这些测试不会被跳过。",
            pytrace=False,
        )
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"浏览器测试需要 Python Playwright（pip install -e '.[test]'）：{exc}", pytrace=False)

    # Playwright's sync API keeps an asyncio event loop running in this (the main) thread for as long as it is
    # started. Django's async_unsafe guard sees that running loop and refuses every ORM call made from the test
    # and its fixtures with SynchronousOnlyOperation, although the calls are in fact plain synchronous code: the
    # loop only serves Playwright's own driver connection. Allowing it is safe here and limited to the time the
    # browser runs (this package); the live server answers from its own thread, where no loop runs.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            try:
                chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            except PlaywrightError as exc:
                pytest.fail(f"无法启动 Chromium（{CHROMIUM}）：{exc}", pytrace=False)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page in its own browser context (its own cookies), with relative URLs against the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(**options) → a browser context of its own (its own cookies), with relative URLs against the live
    server and the same timeout as `page`'s; every one made is closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


PASSWORD = "Test@12345"  # tests/factories.make_user's


def sign_in(page, user):
    """Sign `user` in through the login page, as a person would."""
    import re

    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
