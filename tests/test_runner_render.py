"""render: remote-reference detection, headline convention, titles."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from sa_toolkit import render


def test_remote_references_catch_anything_a_browser_fetches():
    fetching = [
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"></script>',
        "<link rel='stylesheet' href='https://fonts.googleapis.com/css?family=Roboto'>",
        '<img src="//example.org/pixel.gif">',
        "<style>@import url(https://example.org/a.css);</style>",
        "<style>body { background: url('http://example.org/bg.png') }</style>",
        '<script type="module">await import("https://cdn.example/mermaid.mjs")</script>',
    ]
    for snippet in fetching:
        assert render.remote_references(snippet), snippet


def test_remote_references_allow_inert_links_and_embedded_data():
    inert = [
        '<a href="https://www.police.uk/">data.police.uk</a>',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="chart">',
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "/* see https://github.com/material-components */",
        '<a href="index.html">All reports</a>',
    ]
    for snippet in inert:
        assert render.remote_references(snippet) == [], snippet


def _nb(*cells):
    return new_notebook(cells=list(cells))


def test_headline_from_output_metadata_wins():
    tagged = new_code_cell("", metadata={"tags": ["headline"]})
    tagged.outputs = [new_output("stream", name="stdout", text="Tagged headline\n")]
    marked = new_code_cell("")
    marked.outputs = [
        new_output(
            "display_data",
            data={"text/markdown": "**Violence fell 8%**"},
            metadata={"sa_toolkit": {"headline": "Violence fell 8% in 2025/26"}},
        )
    ]
    assert render.find_headline(_nb(tagged, marked)) == "Violence fell 8% in 2025/26"


def test_headline_from_tagged_cell_first_line_without_markdown():
    tagged = new_code_cell("", metadata={"tags": ["headline"]})
    tagged.outputs = [
        new_output("execute_result", data={"text/markdown": "## **Knife crime rose 12%**\n\nMore"})
    ]
    assert render.find_headline(_nb(tagged)) == "Knife crime rose 12%"


def test_no_headline_marked():
    cell = new_code_cell("")
    cell.outputs = [new_output("stream", name="stdout", text="not a headline")]
    assert render.find_headline(_nb(cell)) is None


def test_title_is_first_level_one_heading():
    nb = _nb(new_markdown_cell("Intro\n## Sub"), new_markdown_cell("# Violent crime\n# Other"))
    assert render.notebook_title(nb, "01_violent_crime") == "Violent crime"
    assert render.notebook_title(_nb(new_code_cell("x")), "fallback") == "fallback"
