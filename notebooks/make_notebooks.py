"""Write the seven assessment notebooks from one template, so that they stay consistent.

Run ``python notebooks/make_notebooks.py`` after changing the template, then commit the
``.ipynb`` files (without outputs). The analysis of each priority is developed in the
notebooks themselves afterwards; this script only lays out the shared frame: a title, the
``parameters`` cell (checked by ``sa run``), the set-up that resolves the parameters
through the library, the key findings (whose first sentence is the report's headline on
the index page) and one trend figure of the priority's recorded crime.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = """\
area = ""  # partnership (CSP) code; empty means partnership.code in the configuration
year = ""  # financial year assessed, e.g. 2024/25; empty means assessment.year
baseline_year = ""  # empty means assessment.baseline_year
raw_dir = ""  # empty means data.raw_dir
processed_dir = ""  # empty means data.processed_dir
output_dir = ""  # folder being written (figures in output_dir/figures); empty: a temporary one
suppression_threshold = 0  # 0 means disclosure.suppression_threshold
config_path = ""  # empty means config/assessment.yml of the project
"""

# name, title, subject of the headline, crime types (None: all but anti-social behaviour),
# what the figure's lines are, introduction.
NOTEBOOKS = [
    (
        "00_overview",
        "Overview",
        "Recorded crime",
        None,
        "recorded crime (all types except anti-social behaviour)",
        "The partnership's recorded crime over the assessment period, the context for the "
        "six priorities that follow.",
    ),
    (
        "01_violent_crime",
        "Violent crime",
        "Violent crime, robbery and weapons possession",
        ["Violence and sexual offences", "Robbery", "Possession of weapons"],
        "violence and sexual offences, robbery and possession of weapons",
        "Priority 1: reduce violent crime, including serious violence, robbery and knife crime.",
    ),
    (
        "02_youth_crime",
        "Youth crime",
        "Robbery and theft from the person",
        ["Robbery", "Theft from the person"],
        "robbery and theft from the person",
        "Priority 2: reduce crime committed by and against young people. Police open data "
        "record no ages, so this report starts from robbery and theft from the person, the "
        "offences in which young people are most often victims and suspects.",
    ),
    (
        "03_anti_social_behaviour",
        "Anti-social behaviour",
        "Anti-social behaviour, criminal damage and public order offences",
        ["Anti-social behaviour", "Criminal damage and arson", "Public order"],
        "anti-social behaviour, criminal damage and arson, and public order offences",
        "Priority 3: reduce anti-social behaviour and the damage and disorder that go with it.",
    ),
    (
        "04_drugs_and_alcohol",
        "Drugs and alcohol",
        "Drug offences and public order offences",
        ["Drugs", "Public order"],
        "drug offences and public order offences",
        "Priority 4: reduce the harm caused by drugs and alcohol.",
    ),
    (
        "05_reoffending",
        "Reducing re-offending",
        "Acquisitive crime",
        ["Burglary", "Vehicle crime", "Shoplifting", "Other theft"],
        "burglary, vehicle crime, shoplifting and other theft",
        "Priority 5: reduce re-offending. Acquisitive crime is the offending most associated "
        "with prolific and priority offenders.",
    ),
    (
        "06_safer_communities",
        "Safer communities",
        "Criminal damage, burglary and theft from the person",
        ["Criminal damage and arson", "Burglary", "Theft from the person"],
        "criminal damage and arson, burglary and theft from the person",
        "Priority 6: safer and more confident communities.",
    ),
]


def setup_source(crime_types: list[str] | None) -> str:
    return f"""\
from sa_toolkit import charts, findings
from sa_toolkit.notebook_params import monthly_crime_counts, notebook_context

ctx = notebook_context(
    area, year, baseline_year, raw_dir, processed_dir, output_dir, suppression_threshold, config_path
)
cfg = ctx.cfg
previous = cfg.year.previous()
monthly = monthly_crime_counts(cfg, {crime_types!r})
this_year = int(monthly.loc[cfg.year.months].to_numpy().sum())
last_year = int(monthly.loc[previous.months].to_numpy().sum())
"""


def findings_source(subject: str) -> str:
    return f"""\
by_type = monthly.loc[cfg.year.months].sum().sort_values(ascending=False)
sentences = [
    findings.change_sentence({subject!r}, last_year, this_year).rstrip(".")
    + f" between {{previous.label}} and {{cfg.year.label}}.",
]
if len(by_type) > 1 and this_year:
    sentences.append(
        f"{{by_type.index[0]}} made up {{findings.format_percent(by_type.iloc[0] / this_year * 100)}}"
        f" of these offences in {{cfg.year.label}} ({{by_type.iloc[0]:,}} of {{this_year:,}})."
    )
findings.show_key_findings(sentences);
"""


def figure_source(name: str, subject: str, lines: str) -> str:
    return f"""\
pct = findings.percent_change(last_year, this_year) if last_year else None
if pct is None or round(pct) == 0:
    title = f"{subject} was about level in {{cfg.year.label}}"
else:
    direction = "rose" if pct > 0 else "fell"
    title = f"{subject} {{direction}} {{findings.format_percent(abs(pct))}} in {{cfg.year.label}}"
first, last = monthly.index[0], monthly.index[-1]
period = f"{{first.strftime('%B %Y')}} to {{last.strftime('%B %Y')}}"
fig = charts.monthly_trend(
    monthly,
    title=title,
    subtitle=f"Recorded offences per month, {{cfg.partnership_short_name}}, {{period}}",
    source="data.police.uk street-level crime",
)
alt = (
    f"Line chart of monthly recorded {lines} in {{cfg.partnership_short_name}}, {{period}}, "
    f"with 12-month averages and financial-year totals: {{this_year:,}} offences in "
    f"{{cfg.year.label}} against {{last_year:,}} in {{previous.label}}."
)
charts.save_and_show(fig, "{name}_trend", alt, ctx.output_dir);
"""


def build(name, title, subject, crime_types, lines, intro) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {title}\n\n{intro}"),
            new_code_cell(PARAMETERS.strip(), metadata={"tags": ["parameters"]}),
            new_code_cell(setup_source(crime_types).strip()),
            new_code_cell(findings_source(subject).strip()),
            new_markdown_cell("## Trend"),
            new_code_cell(figure_source(name, subject, lines).strip()),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main() -> None:
    for spec in NOTEBOOKS:
        nbformat.write(build(*spec), HERE / f"{spec[0]}.ipynb")
    ruff = Path(sys.executable).with_name("ruff")
    if ruff.exists():
        paths = [str(HERE / f"{spec[0]}.ipynb") for spec in NOTEBOOKS]
        subprocess.run([str(ruff), "format", "--quiet", *paths], check=True)


if __name__ == "__main__":
    main()
