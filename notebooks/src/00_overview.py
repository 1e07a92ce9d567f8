# %% [markdown]
# # Overview
#
# The partnership's performance across all six priorities, its position among its Most Similar Group of partnerships, the trend, mix and cost of recorded crime, and a priority-setting matrix to inform the rolling plan.

# %% tags=["parameters"]
area = ""  # partnership (CSP) code; empty means partnership.code in the configuration
year = ""  # financial year assessed, e.g. 2024/25; empty means assessment.year
baseline_year = ""  # empty means assessment.baseline_year
raw_dir = ""  # empty means data.raw_dir
processed_dir = ""  # empty means data.processed_dir
output_dir = ""  # folder being written (figures in output_dir/figures); empty: a temporary one
suppression_threshold = 0  # 0 means disclosure.suppression_threshold
config_path = ""  # empty means config/assessment.yml of the project

# %%
import html
from pathlib import Path

from IPython.display import HTML, Markdown, display

from sa_toolkit import charts, findings, measures
from sa_toolkit.analysis import overview as ov
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis.priority_common import absent, coverage_note, not_available
from sa_toolkit.disclosure import suppression_note
from sa_toolkit.indicators.computations import DataSource
from sa_toolkit.notebook_params import notebook_context
from sa_toolkit.report_tables import html_table

ctx = notebook_context(
    area,
    year,
    baseline_year,
    raw_dir,
    processed_dir,
    output_dir,
    suppression_threshold,
    config_path,
)
cfg = ctx.cfg
threshold = cfg.suppression_threshold
name = cfg.partnership_short_name
source = DataSource.from_config(cfg)
framework = ov.performance_framework(cfg, source)
data = ov.load_overview(cfg, source)
summary = ov.framework_summary(framework)
trend = ov.crime_trend(data)
msg_table = ov.msg_comparison(data.msg, cfg)
cost = ov.cost_by_year(data)
matrix = ov.priority_matrix(data, msg_table, cost)
key_findings = findings.show_key_findings(
    ov.key_findings(trend, summary, msg_table, cost, matrix, cfg)
)

# %% [markdown]
# ## Performance framework
#
# Every priority's indicators: the previous year (baseline) against the assessment year, the change, and a traffic light with its reason (the rule is in the notes below the table).

# %%
xlsx = ov.write_framework_download(framework, ctx.output_dir, threshold, cfg)
display(
    HTML(
        f'<p><a href="{xlsx.name}" download>Download the performance framework '
        f"(Excel, {len(framework)} indicators)</a></p>"
    )
)
measure_book = Path(ctx.output_dir) / measures.PUBLISHED_XLSX
if measure_book.is_file():  # written by sa run: every measure the reports quote, computed once
    display(
        HTML(
            f'<p><a href="{measure_book.name}" download>Download every measure of this assessment '
            "(Excel: value, 95% interval, numerator, denominator, definition and source)</a></p>"
        )
    )
if framework.empty:
    display(coverage_note(ov.framework_not_computed(framework)))
else:
    display(
        html_table(
            ov.framework_display(framework, threshold),
            caption=f"Performance framework, {name}, {cfg.year.previous().label} to {cfg.year.label}",
            rag_columns="Traffic light",
            notes=[
                f"Counts below {threshold} are shown as <{threshold}.",
                ov.framework_sentence(summary, cfg.year.label),
                *pf.methods_notes(cfg),
            ],
        )
    )

# %% [markdown]
# ## Most Similar Group comparison
#
# Rank 1 is the highest rate in the group (the worst). "Just above" or "just below" means the difference from the group average is within the partnership's 95% confidence interval.

# %%
if data.msg_supplied:
    if ov.msg_has_last_year(msg_table):
        msg_caption = f"rates per 1,000 residents, rank and % change in offences, {cfg.year.previous().label} and {cfg.year.label}"
    else:
        display(not_available(f"Change on {cfg.year.previous().label}", cfg.year.previous().label))
        msg_caption = f"rates per 1,000 residents and rank, {cfg.year.label}"
    display(
        html_table(
            ov.msg_display(msg_table, cfg, threshold),
            caption=f"{name} against its Most Similar Group: {msg_caption}",
            notes=[f"Source: {ov.MSG_SOURCE}.", suppression_note(threshold)],
        )
    )
else:
    display(absent("msg_crime", "the Most Similar Group comparison and its funnel plot", cfg))
funnel = ov.msg_funnel(data.msg, cfg) if data.msg_supplied else None
if funnel is not None:
    fig = charts.funnel_plot(
        funnel["points"],
        funnel["limits"],
        title=funnel["title"],
        subtitle=f"Recorded crime per 1,000 residents by partnership population, Most Similar Group, {cfg.year.label}",
        source=ov.MSG_SOURCE,
        average=funnel["average"],
        highlight=funnel["highlight"],
        xlabel="Resident population",
    )
    saved = charts.save_and_show(
        fig,
        "00_overview_msg_funnel",
        f"Funnel plot of recorded crime rates for the {funnel['members']} Most Similar Group partnerships "
        f"in {cfg.year.label}: {name} at {funnel['value']:.1f} per 1,000 is {funnel['where']} the group average "
        f"of {funnel['average']:.1f}, ranked {findings.ordinal(funnel['rank'])} (1 = highest rate).",
        ctx.output_dir,
    )
    display(HTML(f"<p class='note'>{html.escape(ov.msg_funnel_note(funnel))}</p>"))

# %% [markdown]
# ## Recorded crime: trend and mix

# %%
both = ov.trend_frame(trend)
saved = charts.save_and_show(
    charts.monthly_trend(
        both,
        title=ov.trend_chart_title(trend, cfg.year.label),
        subtitle=f"Recorded offences (all types except anti-social behaviour) and police-recorded anti-social behaviour incidents per month, {name}, {trend['period']}",
        source=ov.STREET_SOURCE,
        breaks=ov.series_breaks_for(["total_crime_rate", "asb_rate"], both.index, cfg.raw_dir),
        measure="Number",
    ),
    "00_overview_crime_trend",
    f"Line chart of monthly recorded crime and police-recorded anti-social behaviour in {name}, {trend['period']}, "
    f"with 12-month averages and financial-year totals: {trend['crime_this']:,} offences in {cfg.year.label}"
    + (
        f" against {trend['crime_last']:,} in {cfg.year.previous().label}; {trend['asb_this']:,} anti-social behaviour incidents "
        f"against {trend['asb_last']:,}."
        if trend["compared"]
        else f" and {trend['asb_this']:,} anti-social behaviour incidents (no data for {cfg.year.previous().label})."
    ),
    ctx.output_dir,
)
mix = ov.crime_mix(data, threshold)
display(coverage_note(trend["months_note"]))
for caveat in trend["caveats"]:
    display(coverage_note(caveat))
if not trend["compared"] and not trend["too_few_months"]:
    display(not_available(f"Change on {cfg.year.previous().label}", cfg.year.previous().label))
display(
    html_table(
        ov.mix_display(mix, cfg, threshold),
        caption=f"Recorded crime by type, {name}, "
        + (f"{cfg.year.previous().label} and " if trend["compared"] else "")
        + cfg.year.label,
        notes=[f"Source: {ov.STREET_SOURCE}.", suppression_note(threshold)],
    )
)

# %% [markdown]
# ## Cost of crime
#
# Recorded offences multiplied by the Home Office estimate of the economic and social cost of one offence, uplifted to this year's prices by the GDP deflator. Offence types without a Home Office unit cost are not counted, so the totals are a lower bound.

# %%
if cost is None:
    display(
        HTML(f"<p>The cost of crime could not be estimated: {html.escape(data.cost_reason)}.</p>")
    )
else:
    fig = ov.cost_chart(cost, cfg)
    saved = charts.save_and_show(
        fig,
        "00_overview_cost_of_crime",
        f"Stacked bar chart of the estimated cost of crime by offence group from {cost['first']} "
        f"to {cost['last']} at {cost['price_year']} prices. {ov.cost_sentence(cost)}",
        ctx.output_dir,
    )
    display(
        html_table(
            ov.cost_display(cost),
            caption=f"Estimated cost of crime by offence group, £ million at {cost['price_year']} prices, {name}",
            notes=[
                "Not costed (no Home Office unit cost): "
                + (", ".join(cost["uncosted"]) or "none")
                + ".",
                "Unit costs: " + "; ".join(cost["cost_source"]) + ".",
                ov.cost_partial_note(cost),
                *([cost["price_note"]] if cost["price_note"] else []),
                *([cost["unverified"]] if cost["unverified"] else []),
            ],
        )
    )

# %% [markdown]
# ## Priority-setting matrix
#
# Each crime type and anti-social behaviour scores 1 (low) to 3 (high) on volume, harm, trend and peer position; the average of the dimensions that can be measured suggests its priority (the key is below the table).

# %%
display(
    html_table(
        ov.matrix_display(matrix, threshold),
        caption=f"Priority-setting matrix, {name}, {cfg.year.label}",
        notes=[
            ov.matrix_key(),
            suppression_note(threshold),
        ],
    )
)

# %%
ov.implications_text(summary, matrix, ov.top_wards(data))

# %% [markdown]
# ## About the data: geography

# %%
from sa_toolkit.geography import reader_notes  # noqa: E402

geography_notes = reader_notes(cfg.processed_dir, cfg.partnership_code)
display(
    Markdown(
        "\n".join(f"- {note}" for note in geography_notes)
        if geography_notes
        else "Every police record with a location lies in an LSOA of the geography lookup."
    )
)
