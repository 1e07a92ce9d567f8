"""Screenshots of the rendered reports for the README.

Serves the reports folder on 127.0.0.1, opens ``<year>/index.html`` and the violent crime
report in Debian's chromium (driven by Playwright; no browser is downloaded) and saves
``docs/screenshot-index.png`` and ``docs/screenshot-violent-crime.png``.

Usage (after ``make assessment``)::

    .venv/bin/python tools/screenshot.py [--year 2025/26] [--reports-dir reports] [--out docs]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}
#: Tall enough for the report's key findings and its first figure.
REPORT_HEIGHT = 1500


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _local_only(route):
    # The reports are self-contained; anything else must not reach the network.
    if route.request.url.startswith(("http://127.0.0.1", "data:")):
        route.continue_()
    else:
        route.abort()


def take_screenshots(year_folder: Path, out_dir: Path) -> list[Path]:
    """Save the two screenshots; return their paths."""
    from playwright.sync_api import sync_playwright

    index = year_folder / "index.html"
    violent = sorted(year_folder.glob("*violent*.html"))
    if not index.is_file() or not violent:
        raise SystemExit(
            f"{year_folder} holds no index.html and violent crime report: run `make assessment`"
        )
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no chromium at {CHROMIUM}: apt-get install chromium")
    handler = functools.partial(_QuietHandler, directory=str(year_folder.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{year_folder.name}/"
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = [
        ("index.html", "screenshot-index.png", VIEWPORT["height"]),
        (violent[0].name, "screenshot-violent-crime.png", REPORT_HEIGHT),
    ]
    saved = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            context.route("**/*", _local_only)
            page = context.new_page()
            for page_name, file_name, height in shots:
                page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
                page.goto(base + page_name, wait_until="networkidle")
                target = out_dir / file_name
                page.screenshot(path=str(target), full_page=False)
                saved.append(target)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", help="financial year, e.g. 2025/26 (default: configured)")
    parser.add_argument("--reports-dir", type=Path, help="reports folder (default: configured)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: docs/)")
    args = parser.parse_args(argv)

    from sa_toolkit.config import load_config
    from sa_toolkit.paths import project_root

    overrides = {"year": args.year} if args.year else {}
    config = load_config(**overrides)
    reports = args.reports_dir or config.output_dir
    year_folder = Path(reports) / config.year.slug
    out = args.out or project_root() / "docs"
    for path in take_screenshots(year_folder, out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
