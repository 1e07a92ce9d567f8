"""Example analyst's text for the fictional Demo Borough, written by ``sa demo``.

So that the demo runs and publishes with the README's two commands, ``sa demo`` fills the
content folder (:mod:`sa_toolkit.content`) of the last demo year and the year before with
example text: every file says plainly that it is a fictional example. A file the analyst
wrote (one without the demo's first line) is never overwritten, even with ``--force``.
"""

from __future__ import annotations

from pathlib import Path

from sa_toolkit import content
from sa_toolkit.periods import FinancialYear

#: first line of every file the demo writes (how ``--force`` knows it may replace one)
DEMO_LINE = (
    "<!-- sa demo: example text for the fictional Demo Borough; replace it with your own. -->"
)
FICTIONAL = (
    "*Fictional example written by the toolkit's demo: Demo Borough, its wards and its "
    "partners do not exist.*"
)

_HORIZON = {
    "Political": "A new Police and Crime Plan for the (fictional) Demo force area starts next "
    "April; its priorities on violence against women and girls and neighbourhood policing "
    "match two of the partnership's.",
    "Economic": "Partner budgets are flat in cash terms for the next two years. The Demo "
    "Market Cross regeneration scheme brings about 400 construction jobs from next spring.",
    "Social": "About 1,200 new homes are due in Demo Canal Wharf over three years, adding "
    "around 3,000 residents, many of them young families.",
    "Technological": "Reports of online fraud to the partnership's victim service doubled; "
    "the council's CCTV upgrade in the town centre completes in the autumn.",
    "Environmental": "Two new late-night licensed premises open in Demo Market Cross; the "
    "night-time economy area will be reviewed with licensing.",
    "Legal": "The Serious Violence Duty's strategy is due for refresh, and new anti-social "
    "behaviour guidance changes how the community trigger is publicised.",
    "Organisational": "The youth offending service and early help teams merge in October; "
    "the probation service's new local delivery unit moves into the civic centre.",
}
_COMMUNITY = {
    "Engagement this year": "Twelve ward panel meetings (about 360 residents in total), an "
    "online consultation on the town centre (540 responses) and two youth forums.",
    "What residents raised": "Drug dealing near Demo Station Road, speeding on residential "
    "roads and young people gathering in the evening came up most often, in line with the "
    "survey's concerns about anti-social behaviour.",
    "What the partnership will do": "A problem-solving plan for Demo Station Road, two "
    "speed-watch schemes and more youth provision on Friday evenings; progress will be "
    "reported back through the ward panels each quarter.",
}
_PARTNERS = {
    "What partners did": "The police ran a town-centre night-time operation each weekend; "
    "the council's anti-social behaviour team took 45 cases to a community protection "
    "warning; the drug and alcohol service opened a satellite clinic in Demo Dockside.",
    "Progress on last year's actions": "Of the twelve actions in last year's plan, seven "
    "are complete, four in progress (the domestic abuse review is delayed by recruitment) "
    "and one, the late-night transport scheme, did not start for lack of funding.",
}


def _document(title: str, sections: dict[str, str]) -> str:
    parts = [DEMO_LINE, "", f"# {title}", "", FICTIONAL, ""]
    for heading, text in sections.items():
        parts += [f"## {heading}", "", text, ""]
    return "\n".join(parts)


def _commentary(report: str, year: FinancialYear) -> str:
    name = report.split("_", 1)[-1].replace("_", " ")
    return "\n".join(
        [
            DEMO_LINE,
            "",
            "# Analyst's commentary",
            "",
            FICTIONAL,
            "",
            f"Example commentary on the {name} report for {year.label}: read the key "
            "findings with the horizon scanning in mind, and note where the partnership's "
            "own data differ from the published figures.",
            "",
        ]
    )


def _write(path: Path, text: str, force: bool) -> bool:
    if path.exists():
        existing = path.read_text(encoding="utf-8")
        if not (force and existing.startswith(DEMO_LINE)):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def report_names(root: Path) -> list[str]:
    from sa_toolkit import paths

    folder = paths.notebooks_dir(root)
    return sorted(p.stem for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def write_demo_content(cfg, last: FinancialYear, force: bool = False) -> list[Path]:
    """Write the example content of ``last`` and the year before; return the files written."""
    written = []
    reports = report_names(cfg.root)
    base = Path(cfg.content_dir or Path(cfg.root) / "content")
    for year in (last.previous(), last):
        folder = base / year.slug
        files = {
            folder / "horizon_scanning.md": _document("Horizon scanning", _HORIZON),
            folder / "community_views.md": _document("What residents told us", _COMMUNITY),
            folder / "partner_activity.md": _document(
                "Partner activity and progress on last year's actions", _PARTNERS
            ),
        }
        for report in reports:
            files[content.commentary_path(folder, report)] = _commentary(report, year)
        for path, text in files.items():
            if _write(path, text, force):
                written.append(path)
        priorities = folder / content.PRIORITIES_FILE
        if not priorities.exists():
            priorities.parent.mkdir(parents=True, exist_ok=True)
            priorities.write_text(content.template_text(content.PRIORITIES_FILE), encoding="utf-8")
    return written
