"""Make a rendered report accessible and citable (run by :mod:`sa_toolkit.render`).

nbconvert's lab template gives every cell's input wrapper and output area
``tabindex="0"``, so a keyboard user tabs through a dozen or more boxes that do nothing
(WCAG 2.4.3 focus order); figures and tables carry no number a reader can cite. After
nbconvert, :func:`make_accessible` rewrites the page:

- **no focusable non-interactive element**: every ``tabindex`` outside links, buttons and
  form fields is removed. A wide table still scrolls sideways inside its
  ``.sa-table-wrap``; a short script (inline, nothing fetched) makes a wrapper focusable,
  as a labelled region, only while its table overflows (WCAG 2.1.1: a keyboard user can
  then scroll it), so a table that fits is no tab stop;
- **numbered figures**: each ``<figure>`` gets an id ``figure-N`` and a ``<figcaption>``
  "Figure N: <the chart's finding>", and the caption links to the figure's data table
  (the ``details.sa-figure-data`` table :mod:`sa_toolkit.charts` writes under it, or for
  a map the table shown with it); a closed ``<details>`` holding that table is opened
  when the page is printed (report.css and an inline ``beforeprint`` handler), so the
  table the caption cites is on paper too;
- **numbered tables**: each table gets an id ``table-N`` and its caption starts
  "Table N:"; a table without a caption is left unnumbered;
- **row and column headers**: header cells get ``scope="col"``; in a table with a header
  row the first cell of each body row becomes ``<th scope="row">``.
"""

from __future__ import annotations

import re
import secrets

from bs4 import BeautifulSoup, Tag

#: elements that are interactive in their own right: a ``tabindex`` on them is kept
INTERACTIVE = {"a", "button", "input", "select", "textarea", "summary", "details", "iframe"}
#: class of the wrapper that lets a wide table scroll sideways (report_tables, this module)
TABLE_WRAP = "sa-table-wrap"
#: nbconvert's alt text for an image that has none (a test fails on it)
MISSING_ALT = "No description has been provided for this image"
#: class of the details element holding a figure's data (sa_toolkit.charts)
FIGURE_DATA = "sa-figure-data"
#: class given to a closed ``<details>`` holding a table a figure's caption cites: it is
#: opened for printing (report.css, PRINT_SCRIPT), so "Data: Table N" is on paper too
PRINT_OPEN = "sa-print-open"

# Focusable only while it scrolls: a labelled region a keyboard user can scroll with the
# arrow keys. Inline and tiny, so the page still loads nothing; without scripts a wide
# table still scrolls with a mouse and prints whole.
SCROLL_SCRIPT = """<script>
(function () {
  function mark() {
    document.querySelectorAll(".sa-table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        if (caption && caption.id) { wrap.setAttribute("aria-labelledby", caption.id); }
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-labelledby");
      }
    });
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
</script>"""

# A figure's caption cites its data table ("Data: Table N"), which sits in a closed
# <details>: it is opened for printing and closed again after. The print stylesheet shows
# it too where the browser can (::details-content); this covers the others.
PRINT_SCRIPT = """<script>
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.sa-print-open:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
</script>"""


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def figure_title(img: Tag) -> str:
    """A figure's caption text: the chart's finding (``data-sa-title``), else the first
    sentence of its alt text (a map names what it shows there)."""
    title = img.get("data-sa-title")
    if title:
        return " ".join(str(title).split())
    alt = " ".join(str(img.get("alt", "")).split())
    first = re.split(r"(?<=[.:])\s", alt, maxsplit=1)[0]
    return first.rstrip(".:") or "Figure"


def remove_focus_traps(soup: BeautifulSoup) -> int:
    """Drop ``tabindex`` from every non-interactive element; return how many."""
    removed = 0
    for element in soup.find_all(attrs={"tabindex": True}):
        if element.name not in INTERACTIVE:
            del element["tabindex"]
            removed += 1
    return removed


def add_header_scopes(table: Tag) -> None:
    """``scope="col"`` on header-row cells; the first cell of each body row a row header."""
    head = table.find("thead")
    header_rows = head.find_all("tr") if head else []
    if not header_rows:
        first = table.find("tr")
        if first and first.find_all(["td", "th"]) and not first.find("td"):
            header_rows = [first]
    for row in header_rows:
        for cell in row.find_all("th"):
            cell.attrs.setdefault("scope", "col")
    if not header_rows:
        return  # a layout-like table without headers: nothing to scope against
    for row in table.find_all("tr"):
        if row in header_rows or row.find_parent("table") is not table:
            continue
        cells = row.find_all(["td", "th"], recursive=False)
        if not cells:
            continue
        first = cells[0]
        if first.name == "td":
            first.name = "th"
        first.attrs.setdefault("scope", "row")


def _wrap_table(soup: BeautifulSoup, table: Tag) -> None:
    parent = table.parent
    if isinstance(parent, Tag) and TABLE_WRAP in (parent.get("class") or []):
        return
    wrapper = soup.new_tag("div", attrs={"class": TABLE_WRAP})
    table.wrap(wrapper)


def _caption_number(soup: BeautifulSoup, caption: Tag, label: str) -> None:
    number = soup.new_tag("span", attrs={"class": "sa-number"})
    number.string = f"{label}: "
    caption.insert(0, number)


def number_tables(soup: BeautifulSoup) -> dict[int, str]:
    """Number captioned tables in page order; return ``{id(table): "Table N"}``."""
    labels: dict[int, str] = {}
    count = 0
    for table in soup.find_all("table"):
        add_header_scopes(table)
        _wrap_table(soup, table)
        caption = table.find("caption", recursive=False)
        if caption is None or not _text(caption):
            continue
        count += 1
        label = f"Table {count}"
        table["id"] = table.get("id") or f"table-{count}"
        caption["id"] = f"{table['id']}-caption"
        _caption_number(soup, caption, label)
        labels[id(table)] = label
    return labels


def _figure_data_table(figure: Tag) -> Tag | None:
    """The table holding a figure's data: the ``details.sa-figure-data`` right after it,
    else the next table shown in the same output (the table beside a map)."""
    following = figure.find_next_sibling()
    if following is not None and FIGURE_DATA in (following.get("class") or []):
        return following.find("table")
    output = figure.find_parent(class_="jp-OutputArea-output") or figure.parent
    table = figure.find_next("table")
    if table is not None and output is not None and output in table.parents:
        return table
    return None


def number_figures(soup: BeautifulSoup, table_labels: dict[int, str]) -> int:
    """Number figures in page order with a caption linking to their data table."""
    count = 0
    for figure in soup.find_all("figure"):
        img = figure.find("img")
        if img is None:
            continue
        count += 1
        figure["id"] = f"figure-{count}"
        for old in figure.find_all("figcaption", recursive=False):
            old.decompose()
        caption = soup.new_tag("figcaption", attrs={"class": "sa-figcaption"})
        number = soup.new_tag("span", attrs={"class": "sa-number"})
        number.string = f"Figure {count}: "
        caption.append(number)
        caption.append(figure_title(img) + ".")
        table = _figure_data_table(figure)
        if table is not None and table.get("id"):
            label = table_labels.get(id(table), "table")
            link = soup.new_tag("a", href=f"#{table['id']}", attrs={"class": "sa-data-link"})
            link.string = f"Data: {label}"
            caption.append(" ")
            caption.append(link)
            holder = table.find_parent("details")
            if holder is not None and PRINT_OPEN not in (holder.get("class") or []):
                holder["class"] = [*(holder.get("class") or []), PRINT_OPEN]
            data_caption = table.find("caption", recursive=False)
            if data_caption is not None:
                for text in data_caption.find_all(string=re.compile("this figure")):
                    text.replace_with(text.replace("this figure", f"Figure {count}"))
        caption["id"] = f"{figure['id']}-caption"
        figure.append(caption)  # a figcaption is the figure's first or last child
    return count


# Embedded images are most of a page's bytes: they are set aside while the page is parsed
# (a tenth of the time), and put back after.
DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+")


def make_accessible(html: str) -> str:
    """The rendered page with focus traps removed, figures and tables numbered and
    captioned, header scopes set, and the scrolling-table script added."""
    uris: list[str] = []
    token = f"sa-data-uri-{secrets.token_hex(6)}-"

    def set_aside(match: re.Match) -> str:
        uris.append(match.group(0))
        return f"{token}{len(uris) - 1}"

    soup = BeautifulSoup(DATA_URI.sub(set_aside, html), "html.parser")
    for img in soup.find_all("img", alt=False):  # as nbconvert marks them: tests look for it
        img["alt"] = MISSING_ALT
    remove_focus_traps(soup)
    labels = number_tables(soup)
    number_figures(soup, labels)
    body = soup.find("body")
    if body is not None:
        body.append(BeautifulSoup(SCROLL_SCRIPT, "html.parser"))
        if soup.find("details", class_=PRINT_OPEN) is not None:
            body.append(BeautifulSoup(PRINT_SCRIPT, "html.parser"))
    return re.sub(rf"{token}(\d+)", lambda m: uris[int(m.group(1))], str(soup))
