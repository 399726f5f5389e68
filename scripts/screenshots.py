"""Screenshot a public article at 1400 px and 390 px wide with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py URL [OUTPUT_DIR]
(`make screenshots` serves the demo and saves docs/article-1400.png and docs/article-390.png.)
"""

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
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
