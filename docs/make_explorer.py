"""Regenerate ``docs/article_explorer.html`` and its screenshot ``docs/article_explorer.png``:
``python docs/make_explorer.py``.

The page is what ``python -m nn.article --html docs/article_explorer.html`` writes (the
article's network, w0..w7 and b0..b3 marked as parameters, learning rate 0.5). The
screenshot shows it mid-backward, with ``w5`` selected, in headless Chromium driven by
Playwright (Debian's ``/usr/bin/chromium``; no browser is downloaded). The browser tests
(``tests/test_explore.py``) call :func:`screenshot` too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path
from typing import Any

from nn.article import main as article_main

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Backward steps taken before the screenshot: the sweep has passed J, o1, o0 and net3.
SCREENSHOT_STEPS = 4


def write_page(target: Path) -> None:
    """``python -m nn.article --html target`` (in this process, its printout dropped)."""
    with contextlib.redirect_stdout(io.StringIO()):
        status = article_main(["--no-graph", "--html", str(target)])
    if status != 0:
        raise SystemExit(status)


def screenshot(page: Any, html: Path, png: Path) -> None:
    """Open ``html`` in the Playwright ``page`` at 1400x900 (its default, legible zoom), go
    ``SCREENSHOT_STEPS`` steps into the backward pass, select ``w5`` and save a screenshot
    to ``png``."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(html.resolve().as_uri())
    page.evaluate(f"explorer.goto('backward', {SCREENSHOT_STEPS}); explorer.select('w5')")
    page.screenshot(path=str(png))


def main(argv: list[str] | None = None) -> int:
    """Write ``article_explorer.html`` and ``article_explorer.png`` into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="directory to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    html = args.out / "article_explorer.html"
    png = args.out / "article_explorer.png"
    write_page(html)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            screenshot(browser.new_page(), html, png)
        finally:
            browser.close()
    print(f"wrote {html} and {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
