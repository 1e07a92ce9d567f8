"""The survey results that open "What residents told us" (community views).

The analyst completes the section in ``content/<year>/community_views.md``; the toolkit
puts the residents' survey above that text: each question's weighted % in the latest two
waves by the end of the assessed year, and whether the change is statistically
significant. The figures are those of the safer communities report (the same functions,
:func:`sa_toolkit.analysis.safer_communities.survey_measures` and ``wave_change``).
"""

from __future__ import annotations

import html

from sa_toolkit.config import Config

SURVEY_TABLE = "residents_survey"


def survey_changes(cfg: Config):
    """Change between the last two waves of every survey question (None without a survey)."""
    from sa_toolkit.analysis import safer_communities as sc
    from sa_toolkit.tables import read_table

    folder = cfg.processed_dir / SURVEY_TABLE
    if not folder.exists():
        return None
    questions = {**sc.SAFETY, **sc.COMMUNITY}
    try:
        survey = read_table(
            SURVEY_TABLE, cfg.processed_dir, columns=["wave", "weight", "ward_code", *questions]
        )
    except Exception:  # noqa: BLE001 - an unreadable survey: the section says so
        return None
    measures = sc.survey_measures(survey, questions, cfg.year)
    if measures is None:
        return None
    return {"latest_wave": measures["latest_wave"], "changes": sc.wave_change(measures["by_wave"], cfg.significance_level),
            "by_wave": measures["by_wave"]}  # fmt: skip


def survey_summary_html(cfg: Config) -> str:
    """A short table of the survey results, or a note saying there is no survey."""
    from sa_toolkit import findings

    result = survey_changes(cfg)
    if result is None:
        return (
            '<p class="sa-missing">No residents\' survey was supplied for '
            f"{html.escape(cfg.year.label)}: the views below come from other engagement.</p>"
        )
    changes = result["changes"]
    latest = result["latest_wave"]
    rows = []
    if changes.empty:
        latest_rows = result["by_wave"][result["by_wave"]["wave"].astype(int) == latest]
        for row in latest_rows.itertuples():
            rows.append(
                f'<tr><th scope="row" style="text-align:left">{html.escape(str(row.question))}</th>'
                f'<td class="num">{findings.format_number(row.value)}%</td>'
                "<td>n/a (one wave)</td></tr>"
            )
        head = f'<th scope="col">{latest}</th><th scope="col">Change</th>'
    else:
        for row in changes.itertuples():
            moved = row.after - row.before
            verdict = "significant" if bool(row.significant) else "not significant"
            rows.append(
                f'<tr><th scope="row" style="text-align:left">{html.escape(str(row.question))}</th>'
                f'<td class="num">{findings.format_number(row.before)}%</td>'
                f'<td class="num">{findings.format_number(row.after)}%</td>'
                f"<td>{moved:+.1f} points ({verdict})</td></tr>"
            )
        first = changes.iloc[0]
        head = (
            f'<th scope="col">{int(first.wave_before)}</th>'
            f'<th scope="col">{int(first.wave_after)}</th><th scope="col">Change</th>'
        )
    return (
        '<table class="sa-table sa-survey-summary"><caption>Residents\' survey: share agreeing, '
        f"weighted, latest survey by the end of {html.escape(cfg.year.label)}</caption>"
        f'<thead><tr><th scope="col" style="text-align:left">Question</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<p class="sa-note">Weighted percentages; a change is significant at the '
        f"{cfg.significance_level * 100:g}% level allowing for the survey's weighting "
        "(details in the safer communities report).</p>"
    )
