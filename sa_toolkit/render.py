"""Render executed notebooks to self-contained HTML for reviewers.

Reports are read by board members on machines that may be offline or locked down, and a
report should not tell a third party who opens it. The rendered HTML therefore:

- hides every code cell (``exclude_input``) and all prompts;
- gives each PNG figure the alt text in its output metadata (``IPython.display.Image(...,
  alt=...)`` writes ``{"image/png": {"alt": ...}}``);
- loads nothing from the internet: the JupyterLab template's require.js, MathJax,
  Mermaid and widget scripts (all from CDNs) are removed, CSS is inlined (with the house
  stylesheet ``sa_toolkit/templates/report.css``) and figures are embedded as data URIs;
- drops ``stderr`` streams (warnings) but keeps error outputs, so a failed notebook's
  error stays visible;
- is accessible and citable (:mod:`sa_toolkit.report_access`): no focusable wrapper that
  does nothing, numbered figures and tables with captions, each figure's caption linking
  to its data table, row and column headers.

Rendering runs in-process (one exporter per worker process), never through one
``jupyter nbconvert`` command per notebook: start-up costs dominate.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from sa_toolkit.report_access import DATA_URI, make_accessible

#: Output metadata key a notebook uses to mark its one-line headline (see docs/architecture.md).
HEADLINE_METADATA_KEY = "sa_toolkit"
#: Cell tag that marks the headline cell (alternative to output metadata).
HEADLINE_TAG = "headline"

_TEMPLATE_NAME = "sa_report.html.j2"
# Extends JupyterLab's template and empties every block that would fetch from a CDN.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
{%- if resources.sa_css %}
<style type="text/css">
{{ resources.sa_css }}
</style>
{%- endif %}
<style type="text/css">
body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.sa-nav { font-family: system-ui, sans-serif; font-size: 0.9rem; margin-bottom: 1rem; }
</style>
{% endblock extra_css %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{%- if alt %} alt="{{ alt | escape_html }}"{% endif -%}
{%- set width = output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif -%}
>
</div>
{%- endblock data_png %}
{%- block body_header -%}
{{ super() }}
<nav class="sa-nav"><a href="index.html">&larr; All reports for this assessment</a></nav>
{%- endblock body_header -%}
"""

# Any reference that a browser would fetch on its own: src=, href= on <link>, CSS url(),
# @import. Plain <a href> links only load when clicked, so they are allowed.
_FETCHING_PATTERNS = (
    re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""\bimport\(\s*["'](?:https?:)?//""", re.IGNORECASE),
)


class DropStderr(Preprocessor):
    """Remove ``stderr`` stream outputs (warnings, logging) from every cell."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        return cell, resources


class AccessibleHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter whose one pass over the page makes it accessible.

    ``HTMLExporter.from_notebook_node`` parses its page once more only to give every
    cell's wrapper ``tabindex="0"`` (focus stops that do nothing) and unlabelled images a
    placeholder alt text. This exporter does what it does before that pass and then
    :func:`sa_toolkit.report_access.make_accessible` instead, so a report is parsed once
    (a second parse of a 2 MB page costs about a second).
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        if not hasattr(self, "_nb_metadata"):  # nbconvert changed: its pass, then ours
            body, resources = super().from_notebook_node(nb, resources, **kw)
            return make_accessible(body), resources
        # HTMLExporter.from_notebook_node (nbconvert 7.16) up to its BeautifulSoup pass
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return make_accessible(body), resources


def make_exporter() -> HTMLExporter:
    """An HTML exporter configured for offline, code-free reports."""
    exporter = AccessibleHTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.template_file = _TEMPLATE_NAME
    exporter.register_preprocessor(DropStderr(), enabled=True)
    return exporter


def notebook_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The first level-1 heading of the notebook's markdown cells, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return default


def render_html(
    nb: nbformat.NotebookNode, html_path: Path, title: str, exporter: HTMLExporter | None = None
) -> str:
    """Render ``nb`` to ``html_path``; return the HTML text.

    Raises
    ------
    ValueError
        If the rendered HTML would fetch anything from the internet (a template or an
        output introduced a remote script, stylesheet, font or image).
    """
    exporter = exporter or make_exporter()
    nb = nbformat.from_dict(nb)  # a copy: the preprocessors must not alter the saved notebook
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title}, "sa_css": _report_css()}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if not isinstance(exporter, AccessibleHTMLExporter):
        body = make_accessible(body)  # no focus traps; numbered, captioned figures and tables
    remote = remote_references(body)
    if remote:
        raise ValueError(
            f"the rendered report would load {len(remote)} resource(s) from the internet, "
            f"e.g. {remote[0]!r}"
        )
    Path(html_path).write_text(body, encoding="utf-8")
    return body


def _report_css() -> str:
    """The house stylesheet ``sa_toolkit/templates/report.css`` (inlined), if present."""
    path = Path(__file__).resolve().parent / "templates" / "report.css"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def remote_references(html: str) -> list[str]:
    """Snippets of ``html`` that make a browser fetch something from another host."""
    # embedded images (most of a report's bytes) fetch nothing: skip them before the
    # slower patterns (a 2 MB report 0.14 -> 0.05 s)
    html = DATA_URI.sub("data:", html)
    found = []
    for pattern in _FETCHING_PATTERNS:
        for match in pattern.finditer(html):
            start = max(match.start() - 20, 0)
            found.append(html[start : match.end() + 60])
    return found


def find_headline(nb: nbformat.NotebookNode) -> str | None:
    """The notebook's one-line headline, or None when it marks none.

    Convention (first match wins): an output whose metadata holds
    ``{"sa_toolkit": {"headline": "<text>"}}`` (what
    :func:`sa_toolkit.notebook_params.show_headline` writes); otherwise the first text
    output of a cell tagged ``headline``.
    """
    tagged = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = out.get("metadata") or {}
            marked = meta.get(HEADLINE_METADATA_KEY) or {}
            if isinstance(marked, dict) and marked.get("headline"):
                return _one_line(str(marked["headline"]))
        if tagged is None and HEADLINE_TAG in cell.get("metadata", {}).get("tags", []):
            tagged = _output_text(cell)
    return _one_line(tagged) if tagged else None


def _output_text(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            return out.get("text", "")
        data = out.get("data") or {}
        for mime in ("text/markdown", "text/plain"):
            if mime in data:
                text = data[mime]
                return "".join(text) if isinstance(text, list) else text
    return None


def _one_line(text: str) -> str | None:
    for line in text.splitlines():
        line = re.sub(r"[*_`#>]+", "", line).strip().strip("'\"")
        if line:
            return line
    return None
