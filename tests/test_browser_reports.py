"""The rendered reports in a real headless browser (Debian's chromium via Playwright).

Opens ``reports/<year>/index.html`` and the violent crime report served from 127.0.0.1
and checks that every link resolves, every image loads, nothing is requested from
anywhere but 127.0.0.1 (or ``data:``), images carry alt text and the console shows no
error. Without chromium the tests are skipped, unless ``SA_REQUIRE_BROWSER=1`` (set by
``.ci/run``, which installs it): then they fail. Browsers are never downloaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("SA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
# Schemes a page may load without a network request leaving the machine.
LOCAL_SCHEMES = {"data", "blob", "about", "file"}


def _unavailable(reason: str):
    if os.environ.get("SA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"SA_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def serve():
    """``serve(folder) -> base URL`` on 127.0.0.1; servers stop at module end."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# Elements a keyboard user can tab to that are neither controls nor a labelled region that
# scrolls (the wrapper of a wide table): nbconvert's tabindex="0" boxes were seventeen such
# stops per page.
FOCUS_STOPS = """() => {
  const controls = new Set(["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY"]);
  const found = [];
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (el.tabIndex < 0 || controls.has(el.tagName)) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    const region = el.getAttribute("role") === "region" && el.getAttribute("aria-labelledby");
    if (!(scrolls && region)) found.push(el.tagName.toLowerCase() + "." + el.className);
  }
  return found;
}"""


@dataclass
class PageReport:
    url: str
    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: int = 0


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return parsed.scheme in ("http", "https") and parsed.hostname in LOCAL_HOSTS


def check_page(browser, url: str) -> PageReport:
    """Load ``url`` and list every problem found (empty when the page is sound)."""
    report = PageReport(url)
    context = browser.new_context(service_workers="block")
    page = context.new_page()

    def on_route(route):
        if _is_local(route.request.url):
            route.continue_()
        else:  # record, and never let it reach the network
            report.problems.append(f"requested outside 127.0.0.1: {route.request.url}")
            route.abort()

    context.route("**/*", on_route)
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and report.problems.append(f"console error: {msg.text} ({msg.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda exc: report.problems.append(f"page error: {exc}"))
    page.on(
        "requestfailed",
        lambda req: (
            _is_local(req.url)
            and report.problems.append(f"request failed: {req.url} ({req.failure})")
        ),
    )
    page.on(
        "response",
        lambda resp: (
            resp.status >= 400 and report.problems.append(f"HTTP {resp.status} for {resp.url}")
        ),
    )
    try:
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:
            report.problems.append(f"page did not load: {url}")
            return report
        page.wait_for_load_state("networkidle")
        images = page.eval_on_selector_all(
            "img",
            """els => els.map(e => ({src: (e.currentSrc || e.src).slice(0, 80),
                                     width: e.naturalWidth, alt: e.getAttribute('alt')}))""",
        )
        report.images = len(images)
        for image in images:
            if not image["width"]:
                report.problems.append(f"image did not load: {image['src']}")
            if not (image["alt"] or "").strip():
                report.problems.append(f"image without alt text: {image['src']}")
        # no tab stop that does nothing: only controls, and a scrolling region while it scrolls
        for stop in page.evaluate(FOCUS_STOPS):
            report.problems.append(f"focusable non-interactive element: {stop}")
        hrefs = page.eval_on_selector_all(
            "a[href]", "els => els.map(e => [e.getAttribute('href'), e.href])"
        )
        ids = set(page.eval_on_selector_all("[id], a[name]", "els => els.map(e => e.id || e.name)"))
        for raw, absolute in hrefs:
            report.links.append(absolute)
            problem = _check_link(context, url, raw, absolute, ids)
            if problem:
                report.problems.append(problem)
    finally:
        context.close()
    return report


def _check_link(context, page_url: str, raw: str, absolute: str, ids: set[str]) -> str | None:
    parsed = urlparse(absolute)
    if parsed.scheme in ("mailto", "tel"):
        return None
    target, fragment = urldefrag(absolute)
    if target == urldefrag(page_url)[0]:
        if fragment and unquote(fragment) not in ids:
            return f"link {raw!r}: no element with id '{fragment}' on the page"
        return None
    if parsed.scheme == "file":
        return None if Path(unquote(parsed.path)).exists() else f"link {raw!r}: no such file"
    if not _is_local(absolute):
        # A plain link to the web loads only when clicked; it is not fetched here.
        return None
    response = context.request.get(target, fail_on_status_code=False)
    if response.status >= 400:
        return f"link {raw!r} -> {target} gives HTTP {response.status}"
    return None


def _year_folder(rendered) -> Path:
    folder = Path(rendered)
    if (folder / "index.html").is_file():
        return folder
    candidates = sorted(p.parent for p in folder.glob("*/index.html"))
    if len(candidates) != 1:
        pytest.fail(f"rendered_reports gave {folder}, which holds no single <year>/index.html")
    return candidates[0]


@pytest.fixture(scope="module")
def year_folder(request, browser):
    # Asked for after the browser, so a machine without chromium skips before the
    # (slow) pipeline run of the runner's `rendered_reports` fixture.
    try:
        rendered = request.getfixturevalue("rendered_reports")
    except pytest.FixtureLookupError:
        _unavailable("tests/conftest.py provides no 'rendered_reports' fixture yet")
    return _year_folder(rendered)


def _url(base: str, year: Path, name: str) -> str:
    return f"{base}{year.name}/{name}"


def test_index_opens_cleanly(browser, serve, year_folder):
    base = serve(year_folder.parent)  # the reports folder, so ../ links can resolve
    report = check_page(browser, _url(base, year_folder, "index.html"))
    assert not report.problems, "\n".join(report.problems)
    html_links = [link for link in report.links if link.endswith(".html")]
    assert len(html_links) >= 7, f"index links {len(html_links)} reports: {html_links}"
    assert any("violent" in link for link in html_links)


def test_violent_crime_report_opens_cleanly(browser, serve, year_folder):
    reports = sorted(year_folder.glob("*violent*.html"))
    assert reports, f"no violent crime report in {year_folder}"
    base = serve(year_folder.parent)
    report = check_page(browser, _url(base, year_folder, reports[0].name))
    assert not report.problems, "\n".join(report.problems)
    assert report.images >= 1, "the violent crime report shows no figure"


def test_every_other_report_opens_cleanly(browser, serve, year_folder):
    base = serve(year_folder.parent)
    pages = [p for p in sorted(year_folder.glob("*.html")) if p.name != "index.html"]
    assert len(pages) >= 7
    problems = []
    for page in pages:
        if "violent" in page.name:
            continue  # checked above
        report = check_page(browser, _url(base, year_folder, page.name))
        problems += [f"{page.name}: {problem}" for problem in report.problems]
    assert not problems, "\n".join(problems)


def test_checker_finds_every_kind_of_fault(browser, serve, tmp_path):
    """The checks above can fail: a page with each fault is caught on each count."""
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/"
        "PchI7wAAAABJRU5ErkJggg=="
    )
    (tmp_path / "ok.html").write_text("<p id='top'>fine</p>")
    (tmp_path / "bad.html").write_text(
        f"""<html><body>
        <a href="ok.html">fine</a> <a href="#top-missing">anchor</a>
        <a href="missing.html">broken</a>
        <img src="data:image/png;base64,{png}" alt="a dot">
        <img src="data:image/png;base64,{png}">
        <img src="nothing.png" alt="broken image">
        <img src="https://example.org/tracker.png" alt="remote">
        <div class="box" tabindex="0">a box that does nothing</div>
        <script>console.error("boom")</script>
        </body></html>"""
    )
    base = serve(tmp_path)
    good = check_page(browser, base + "ok.html")
    assert good.problems == []
    problems = "\n".join(check_page(browser, base + "bad.html").problems)
    assert "requested outside 127.0.0.1: https://example.org/tracker.png" in problems
    assert "console error: boom" in problems
    assert "image without alt text" in problems
    assert "image did not load: http://127.0.0.1" in problems
    assert "HTTP 404" in problems
    assert "link 'missing.html'" in problems
    assert "no element with id 'top-missing'" in problems
    assert "link 'ok.html'" not in problems
    assert "focusable non-interactive element: div.box" in problems


def test_wide_table_is_a_tab_stop_only_while_it_scrolls(browser, serve, tmp_path):
    """A table wider than the page scrolls in a labelled region a keyboard user can reach;
    a table that fits is no tab stop (sa_toolkit.report_access)."""
    import pandas as pd

    from sa_toolkit.report_access import make_accessible
    from sa_toolkit.report_tables import html_table

    wide = pd.DataFrame({f"Column {i} with a long heading": [1234567] for i in range(30)})
    narrow = pd.DataFrame({"Ward": ["North"], "Offences": [120]})
    page = make_accessible(
        "<html><body style='width:600px'>"
        + html_table(wide, caption="A wide table")
        + html_table(narrow, caption="A narrow table")
        + "</body></html>"
    )
    (tmp_path / "tables.html").write_text(page, encoding="utf-8")
    base = serve(tmp_path)
    report = check_page(browser, base + "tables.html")
    assert not report.problems, "\n".join(report.problems)
    context = browser.new_context()
    try:
        view = context.new_page()
        view.goto(base + "tables.html", wait_until="load")
        wraps = view.eval_on_selector_all(
            ".sa-table-wrap",
            """els => els.map(e => [e.getAttribute('tabindex'), e.getAttribute('role'),
                                    e.getAttribute('aria-labelledby')])""",
        )
    finally:
        context.close()
    assert wraps == [["0", "region", "table-1-caption"], [None, None, None]]


def test_a_figures_data_table_prints(browser, serve, tmp_path):
    """The caption says "Data: Table 1", so the table prints: closed on screen, shown in
    print (the stylesheet), and opened by the page's beforeprint handler and closed after
    (for browsers without ::details-content)."""
    from sa_toolkit.render import render_html
    from tests.test_accessible_reports import _report_notebook

    render_html(_report_notebook(), tmp_path / "report.html", "A report")
    base = serve(tmp_path)
    context = browser.new_context()
    try:
        view = context.new_page()
        view.goto(base + "report.html", wait_until="load")
        row = view.locator("#table-1 tbody tr").first
        summary = view.locator("details.sa-figure-data summary")
        assert not row.is_visible() and summary.is_visible()  # closed on screen
        view.emulate_media(media="print")
        assert row.is_visible() and not summary.is_visible()  # printed without its control
        assert "North" in row.inner_text() and "120" in row.inner_text()
        view.emulate_media(media="screen")
        opened = view.evaluate(
            """() => {
                const d = document.querySelector("details.sa-figure-data");
                window.dispatchEvent(new Event("beforeprint"));
                const during = d.open;
                window.dispatchEvent(new Event("afterprint"));
                return [during, d.open];
            }"""
        )
        assert opened == [True, False]
        pdf = view.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()
