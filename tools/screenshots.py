"""Screenshots of the main pages, for looking at what we build (not a test).

    .venv/bin/python tools/screenshots.py [BASE_URL] [OUT_DIR]

Logs in as the demo accounts against a running server (make run) and saves laptop and phone screenshots.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
PASSWORD = "Demo@2026"
PAGES = [
    ("login", None, "/login/"),
    ("home", "reporter", "/"),
    ("ledger", "leader", "/projects/"),
    ("ledger-filtered", "leader", "/projects/?major=1&stage=开工"),
    ("project", "reporter", "FIRST_PROJECT"),
    ("project-new", "reporter", "/projects/new/"),
    ("report", "reporter", "/report/"),
    ("months", "bureau", "/months/"),
    ("month-status", "bureau", "LAST_MONTH_STATUS"),
    ("audit", "auditor", "/audit/"),
    ("sysadmin", "sysadmin", "/sysadmin/org/unit/"),
    ("dashboard", "leader", "/dashboard/"),
    ("indicator", "leader", "/dashboard/domestic_arrived_wan/"),
    ("targets", "bureau", "/targets/"),
    ("campaign", "leader", "/campaigns/1/"),
    ("economy", "leader", "/economy/"),
    ("drill", "leader", "/projects/?figure=started_count&period=2026-10&unit=1"),
    ("bulletin", "bureau", "/bulletins/draft/"),
    ("meetings", "bureau", "/meetings/"),
    ("review", "bureau", "/meetings/review/?month=2026-09"),
    ("dispatch", "bureau", "/meetings/dispatch/"),
    ("summary", "bureau", "/meetings/summary/?month=2026-09"),
    ("observation", "bureau", "/meetings/observation/?month=2026-06"),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        only = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
        for viewport, size in (("laptop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
            contexts = {}
            for name, user, path in PAGES:
                if only and name not in only:
                    continue
                if user not in contexts:
                    context = browser.new_context(viewport=size, locale="zh-CN")
                    page = context.new_page()
                    if user:
                        page.goto(BASE + "/login/")
                        page.fill("input[name=username]", user)
                        page.fill("input[name=password]", PASSWORD)
                        page.click("button[type=submit]")
                    contexts[user] = page
                page = contexts[user]
                if path == "FIRST_PROJECT":
                    page.goto(BASE + "/report/")
                    path = page.locator("table.grid a").first.get_attribute("href")
                if path == "LAST_MONTH_STATUS":
                    page.goto(BASE + "/months/")
                    path = page.locator("table.data tbody tr:nth-child(2) a").first.get_attribute("href")
                page.goto(BASE + path)
                page.screenshot(path=str(OUT / f"{name}-{viewport}.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
