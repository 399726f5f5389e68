"""Screenshot a public article, or the newsroom's admin pages, at 1400 px and 390 px wide
with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py URL [OUTPUT_DIR]
       .venv/bin/python scripts/screenshots.py --admin SITE_URL [OUTPUT_DIR]
(`make screenshots` serves the demo and saves docs/article-*.png, docs/claim-page-*.png,
docs/approval-queue-*.png, docs/candidates-*.png, docs/quotations-*.png and
docs/quote-check-*.png; --admin signs in as the demo's
editor, reviewer and publisher with the password in $SHOTS_PASSWORD.)
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = {1400: 1000, 390: 844}


def main(url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            # Scroll to the first passage with a claim so the shot shows evidence beside text.
            page.locator(".passage").first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -120)")
            path = out_dir / f"article-{width}.png"
            page.screenshot(path=str(path))
            print(path)
            # A quotation the reviewer found altered: what readers are told of it.
            page.locator(".quote-note").first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -200)")
            path = out_dir / f"quote-check-reader-{width}.png"
            page.screenshot(path=str(path))
            print(path)
            page.close()
        browser.close()


# Admin pages: (file name, who signs in, the page's path).
ADMIN_PAGES = [
    ("claim-page", "reviewer", "/admin/review/queueitem/"),
    ("approval-queue", "publisher", "/admin/review/approvalitem/"),
    ("candidates", "editor", "/admin/essays/claimcandidate/?decision__exact=pending"),
    ("quotations", "editor", "/admin/essays/quotation/"),
    ("quote-check", "reviewer", "/admin/review/quotationcheck/?status__exact=altered"),
]


def admin_shots(site: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    password = os.environ["SHOTS_PASSWORD"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, username, path in ADMIN_PAGES:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{site}/admin/login/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Log in").click()
                page.goto(site + path)
                if name in ("claim-page", "quote-check"):  # the list's first row, opened
                    page.locator("#result_list tbody a").first.click()
                shot = out_dir / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=name == "claim-page" and width == 1400)
                print(shot)
                context.close()
        browser.close()


if __name__ == "__main__":
    if sys.argv[1] == "--admin":
        admin_shots(sys.argv[2], Path(sys.argv[3] if len(sys.argv) > 3 else "docs"))
    else:
        main(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
