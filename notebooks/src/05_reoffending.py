# %% [markdown]
# # Reducing re-offending
#
# Priority 5: reduce re-offending. Acquisitive crime is the offending most associated with the offenders managed under Integrated Offender Management (formerly prolific and priority offenders).

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
from IPython.display import display

from sa_toolkit import charts, disclosure, findings, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import reoffending as ro
from sa_toolkit.notebook_params import notebook_context
from sa_toolkit.tables import partnership_lsoas

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
fy, place, threshold = cfg.year, cfg.partnership_short_name, cfg.suppression_threshold
store = ro.load(cfg, partnership_lsoas(cfg))
framework = pc.priority_framework(cfg, "reoffending", store)
rates = ro.cohort_rates(store.get("reoffending"), cfg.partnership_code, fy)
trends = ro.cohort_trends(rates)
probation = ro.probation(store.get("probation_outcomes"), cfg.partnership_code, fy)
ages = ro.offender_ages(store.get("crime_incidents"), store.get("population"), fy)
latest = ro.latest_cohort_year(rates, fy)

# %%
shown_findings = findings.show_key_findings(
    (
        ro.key_findings(rates, trends, probation, ages, fy, threshold)
        or [f"No complete re-offending cohort or probation year is available up to {fy.label}."]
    )
    + [pc.rag_counts_sentence(framework, "reducing re-offending")]
)

# %% [markdown]
# ## Performance framework

# %%
report_tables.html_table(
    pf.framework_table(framework, threshold),
    caption=f"Reducing re-offending indicators, {place}, {fy.previous().label} to {fy.label}",
    rag_columns="RAG",
    notes=[
        "Proven re-offending is published about 18 months after the cohort's year: "
        "a blank actual means the assessed year's cohort is not yet available.",
        *pf.methods_notes(cfg),
    ],
)

# %% [markdown]
# ## Proven re-offending by cohort

# %%
if latest is not None:
    # a point resting on fewer re-offenders than the threshold is not drawn (a gap)
    small = rates["reoffenders"] < max(threshold, 1)
    shown = rates.copy()
    shown.loc[small, ["rate", "rate_lower", "rate_upper", "frequency", "frequency_lower",
                      "frequency_upper"]] = float("nan")  # fmt: skip
    chart = shown.rename(columns={"rate": "value", "rate_lower": "lower", "rate_upper": "upper"})
    now = chart[chart["financial_year"] == latest].dropna(subset=["value"]).set_index("cohort")
    top = now["value"].idxmax() if len(now) else ro.PPO
    fig = pc.interval_chart(
        chart,
        x="financial_year",
        series="cohort",
        title=f"The {top.lower()} cohort re-offended most: {now.loc[top, 'value']:.0f}% "
        f"re-offended in {latest}"
        if len(now)
        else "Proven re-offending rate by cohort",
        subtitle=f"Proven re-offending rate (% of cohort), 95% intervals, {place}, cohorts by "
        "financial year (the Integrated Offender Management cohort is a subset of all offenders)",
        source="Ministry of Justice proven re-offending; local IOM scheme",
        ylabel="% re-offending",
        percent=True,
    )
    charts.save_and_show(
        fig,
        "05_reoffending_rate",
        "Chart of proven re-offending rates with 95% intervals by cohort and year: "
        + "; ".join(
            f"{r.cohort} {r.financial_year} {r.value:.0f}%"
            for r in chart.dropna(subset=["value"]).itertuples()
        ),
        ctx.output_dir,
    )
    chart = shown.rename(
        columns={"frequency": "value", "frequency_lower": "lower", "frequency_upper": "upper"}
    )
    fig = pc.interval_chart(
        chart,
        x="financial_year",
        series="cohort",
        title=f"Integrated Offender Management re-offenders committed "
        f"{now.loc[ro.PPO, 'frequency']:.1f} proven re-offences each in the {latest} cohort"
        if ro.PPO in now.index and now.loc[ro.PPO, "frequency"] > 0
        else "Re-offences per re-offender by cohort",
        subtitle=f"Proven re-offences per re-offender, 95% intervals, {place}, cohorts by "
        "financial year",
        source="Ministry of Justice proven re-offending; local IOM scheme",
        ylabel="Re-offences per re-offender",
    )
    charts.save_and_show(
        fig,
        "05_reoffending_frequency",
        "Chart of proven re-offences per re-offender with 95% intervals by cohort and year: "
        + "; ".join(
            f"{r.cohort} {r.financial_year} {r.value:.1f}"
            for r in chart.dropna(subset=["value"]).itertuples()
        ),
        ctx.output_dir,
    )
    table = rates[rates["financial_year"] == latest].merge(trends, on="cohort", how="left")
    table = disclosure.mask_small_counts(
        table[
            [
                "cohort",
                "offenders",
                "reoffenders",
                "reoffences",
                "rate",
                "rate_lower",
                "rate_upper",
                "frequency",
                "trend",
            ]
        ],  # fmt: skip
        "reoffenders",
        threshold,
        derived=["reoffences", "rate", "rate_lower", "rate_upper", "frequency"],
    )
    display(
        report_tables.html_table(
            table,
            caption=f"Proven re-offending by cohort, {place}, {latest} cohort",
            formats={
                "rate": "{:.1f}%",
                "rate_lower": "{:.1f}%",
                "rate_upper": "{:.1f}%",
                "frequency": "{:.2f}",
            },  # fmt: skip
            headers={
                "rate": "Rate",
                "rate_lower": "95% CI lower",
                "rate_upper": "95% CI upper",
                "frequency": "Re-offences per re-offender",
                "trend": "Trend (weighted regression, 99.8%)",
            },  # fmt: skip
            notes=[
                "The Integrated Offender Management cohort is a subset of the adult and juvenile "
                "cohorts, so the rows do not add up.",
                disclosure.suppression_note(threshold),
            ],
        )
    )
else:
    display(pc.absent("reoffending", f"a complete re-offending cohort up to {fy.label}", cfg))

# %% [markdown]
# ## Probation: employment and accommodation at the end of orders

# %%
by_year = probation["by_year"]
if not len(by_year):
    display(pc.absent("probation_outcomes", "probation outcomes", cfg))
else:
    last = by_year[by_year["financial_year"] == probation["latest_year"]].set_index("outcome")
    fig = pc.interval_chart(
        by_year,
        x="financial_year",
        series="outcome",
        title=f"{last.loc['In employment', 'value']:.0f}% were in employment and "
        f"{last.loc['In settled accommodation', 'value']:.0f}% in settled accommodation at the "
        f"end of supervision in {probation['latest_year']}",
        subtitle=f"% of orders and licences ended, 95% intervals, {place}, by financial year",
        source="Probation Service performance data",
        ylabel="% of terminations",
        percent=True,
    )
    charts.save_and_show(
        fig,
        "05_reoffending_probation_outcomes",
        "Chart of the percentage of offenders in employment and in settled accommodation at "
        "the end of their order or licence by year: "
        + "; ".join(f"{r.outcome} {r.financial_year} {r.value:.0f}%" for r in by_year.itertuples()),
        ctx.output_dir,
    )
    groups = probation["by_group"].assign(
        order_type=lambda f: f["order_type"].str.replace("_", " ").str.capitalize()
    )
    groups = disclosure.mask_small_counts(
        groups[
            [
                "outcome",
                "order_type",
                "age_group",
                "terminations",
                "count",
                "value",
                "lower",
                "upper",
            ]
        ],  # fmt: skip
        "terminations",
        threshold,
        derived=["count", "value", "lower", "upper"],
    )
    groups = disclosure.mask_small_counts(
        groups, "count", threshold, derived=["value", "lower", "upper"]
    )
    display(
        report_tables.html_table(
            groups,
            caption=f"Outcomes at the end of supervision by order type and age, {place}, "
            f"{probation['latest_year']}",
            formats={"value": "{:.0f}%", "lower": "{:.0f}%", "upper": "{:.0f}%"},
            headers={
                "count": "With the outcome",
                "value": "Percent",
                "lower": "95% CI lower",
                "upper": "95% CI upper",
            },  # fmt: skip
            notes=disclosure.suppression_note(threshold),
        )
    )

# %% [markdown]
# ## Age profile of suspects

# %%
if not len(ages) or ages["suspects"].sum() < max(threshold, 1):
    display(pc.absent("crime_incidents", "the age profile of suspects", cfg))
else:
    profile = ages.set_index("age_band")[["count_share", "population_share"]].rename(
        columns={"count_share": "Suspects", "population_share": "Population"}
    )
    top = ages.loc[ages["value"].idxmax()]
    fig = charts.age_profile(
        profile,
        title=f"People aged {top['age_band']} were {top['count_share']:.0%} of suspects, "
        f"{top['value']:.1f} times their share of residents",
        subtitle=f"Share of suspects (recorded crimes with a known suspect age) and of residents "
        f"aged 10 and over, by age, {place}, {fy.label}",
        source="Police crime recording system extract; ONS mid-year population estimates",
    )
    charts.save_and_show(
        fig,
        "05_reoffending_offender_age_profile",
        "Bar chart of the age profile of suspects against residents aged 10 and over: "
        + "; ".join(
            f"{r.age_band} {r.count_share:.0%} of suspects, {r.population_share:.0%} of residents"
            for r in ages.itertuples()
        ),
        ctx.output_dir,
    )

# %%
concerns = pf.framework_concerns(framework)
worsened, missed = concerns["worsened"], concerns["missed_target"]
for cohort in (ro.ADULT, ro.JUVENILE, ro.PPO):
    change = ro.rate_change(rates, cohort, fy, cfg.significance_level)
    if change and change["significant"] and change["change_pp"] > 0:
        worsened.append(
            f"{cohort} proven re-offending rate (+{change['change_pp']:.1f} points, "
            f"{change['year']} cohort)"
        )
worsening = trends[trends["trend"].astype(str).str.contains("worse")]
notes = [f"{r.cohort}: re-offending is {r.trend}" for r in worsening.itertuples()]
over = ages[ages["value"] > 1.5] if len(ages) else ages
if len(over):
    notes.append(
        f"Suspects aged {' and '.join(over['age_band'])} are over-represented against the "
        f"population (up to {over['value'].max():.1f} times their share of residents aged 10+)"
    )
findings.implications(worsened=worsened, missed_target=missed, notes=notes)
