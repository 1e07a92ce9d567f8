# %% [markdown]
# # Youth crime
#
# Priority 2: reduce crime committed by and against young people. This report reads the partnership's crime incident extract (victim and suspect ages), Youth Justice Board first-time entrants, Ministry of Justice proven re-offending and probation outcomes.

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
import pandas as pd
from IPython.display import display

from sa_toolkit import charts, disclosure, findings
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.framework import row_target
from sa_toolkit.notebook_params import notebook_context
from sa_toolkit.periods import span_label
from sa_toolkit.report_tables import html_table
from sa_toolkit.tables import table_months

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
place = cfg.partnership_short_name
src = pf.local_source(cfg)
framework = pf.priority_framework(cfg, "youth_crime", src)
rows = framework.set_index("indicator_id")
years = yc.years_to(cfg)
months = pd.period_range(years[0].first_month, cfg.year.last_month, freq="M")
period = span_label(years[0], cfg.year)
has_incidents = pc.table_supplied("crime_incidents", cfg.processed_dir)
lookup = src.read("lookup", ["lsoa_code", "ward_name"])
previous_label = cfg.year.previous().label
if has_incidents:
    # years before the extract begins are left out, not shown as years without crime
    incident_years = yc.years_to(cfg, table_months("crime_incidents", cfg.processed_dir))
    months = pd.period_range(incident_years[0].first_month, cfg.year.last_month, freq="M")
    incident_period = span_label(incident_years[0], cfg.year)
    compared = len(incident_years) > 1
    incidents = yc.load_incidents(src, cfg)
    young = yc.young_people_monthly(incidents, months)
    young_years = yc.year_totals(young, incident_years)
    young_change = yc.latest_changes(young_years, cfg.year, cfg.significance_level).set_index(
        "measure"
    )
    syv = yc.serious_youth_violence(incidents, incident_years)
    syv_before = syv.iloc[-2] if compared else float("nan")
    syv_test = yc.change_row(syv_before, syv.iloc[-1])
    peak = yc.after_school_peak(incidents, cfg.year, significance_level=cfg.significance_level)
    robbery = yc.youth_robbery(incidents, incident_years)
    robbery_places = yc.young_victim_places(incidents, lookup, cfg.year)
else:
    robbery_places = pd.DataFrame(columns=["ward", "victims", "share"])
fte_table = pc.read_if_supplied(src, "youth_first_time_entrants")
fte = (
    yc.first_time_entrants(fte_table, cfg.partnership_code, years)
    if fte_table is not None
    else pd.DataFrame()
)
reoffending_table = pc.read_if_supplied(src, "reoffending")
cohorts = (
    yc.juvenile_reoffending(reoffending_table, cfg.partnership_code, cfg.year)
    if reoffending_table is not None
    else pd.DataFrame()
)
trends = yc.reoffending_trend(cohorts) if len(cohorts) else None
probation_table = pc.read_if_supplied(src, "probation_outcomes")
probation = (
    yc.probation_by_age(probation_table, cfg.partnership_code, years)
    if probation_table is not None
    else pd.DataFrame()
)
SOURCE_INCIDENTS = f"{place} Police crime incident extract"
NO_AGES = "the ages of victims and suspects (not in the data.police.uk open data)"

# %%
syv_target = row_target(framework, "LI2", "relative_change")
key = []
if has_incidents:
    v = young_change.loc["Victims 10-17"]
    key += [
        yc.change_finding(
            f"Serious youth violence victims in {cfg.year.label}",
            syv_before,
            syv.iloc[-1],
            "victims",
            syv_test,
            target=syv_target,
            threshold=threshold,
            compared_with=previous_label,
        ),
        yc.change_finding(
            f"Victims aged 10-17 in {cfg.year.label}",
            v["before"],
            v["after"],
            "victims",
            v.to_dict(),
            threshold=threshold,
            compared_with=previous_label,
        ),
    ]
if len(fte):
    key.append(
        yc.fte_sentence(fte, threshold, rows.loc["NI111"] if "NI111" in rows.index else None)
    )
if has_incidents:
    key.append(yc.after_school_sentence(peak))
if len(cohorts):
    key.append(yc.reoffending_sentence(cohorts, trends, threshold))
if len(robbery_places) and robbery_places["victims"].sum() >= threshold:
    top = robbery_places.iloc[0]
    key.append(
        findings.share_sentence(
            f"{top['ward']} ward",
            top["victims"],
            f"robberies of 10-17 year olds in {cfg.year.label}",
            robbery_places["victims"].sum(),
            unit="victims",
            threshold=threshold,
        )
    )
if not key:
    key.append(
        pc.missing_text("crime_incidents", "Young victims and suspects", cfg)
        + " The youth justice and re-offending extracts were not supplied either."
    )
_ = findings.show_key_findings(key[:6])

# %% [markdown]
# ## Performance framework
#
# The youth crime indicators for the year against the year before. Indicators that no dataset supplied carries are shown as tbc (to be confirmed) until the analyst enters them.

# %%
not_computed = pf.not_computed_notes(framework)
display(
    html_table(
        pf.framework_table(framework, threshold),
        caption=f"Youth crime performance framework, {place}, {cfg.year.previous().label} to {cfg.year.label}",
        rag_columns="RAG",
        notes=["RAG: traffic light, always with its text in the Rating column."]
        + pf.methods_notes(cfg)
        + not_computed,
    )
)

# %% [markdown]
# ## Young victims and suspects

# %%
if has_incidents:
    if compared:
        top_series = young_change["change"].abs().idxmax()
        young_title = yc.change_finding(
            f"{top_series.replace(' ', ' aged ', 1)} in {cfg.year.label}",
            young_change.loc[top_series, "before"],
            young_change.loc[top_series, "after"],
            "",
            young_change.loc[top_series].to_dict(),
        ).rstrip(".")
        young_alt = " ".join(
            f"{m}: {int(r['before']):,} in {previous_label}, {int(r['after']):,} in {cfg.year.label}."
            for m, r in young_change.iterrows()
        )
    else:
        display(pc.not_available(f"Change on {previous_label}", previous_label))
        top_series = young_change["after"].idxmax()
        young_title = (
            f"{top_series.replace(' ', ' aged ', 1)} were the largest group in {cfg.year.label}"
        )
        young_alt = " ".join(
            f"{m}: {int(r['after']):,} in {cfg.year.label}." for m, r in young_change.iterrows()
        )
    fig = charts.monthly_trend(
        young,
        title=young_title,
        subtitle=f"Victims and suspects aged 10-17 and 18-24 per month, {place}, {incident_period}",
        source=SOURCE_INCIDENTS,
        measure="People",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_young_victims_suspects",
        f"Line chart of monthly victims and suspects aged 10-17 and 18-24 in {place}, {incident_period}. "
        + young_alt,
        ctx.output_dir,
    )
    table = disclosure.suppress_counts(
        young_years, threshold, row_totals=False, column_totals=False
    )
    display(
        html_table(
            table.display(),
            caption=f"Victims and suspects aged 10-24 by financial year, {place}",
            notes=[table.note, "One victim or suspect per recorded incident; ages as recorded."],
        )
    )
else:
    display(
        pc.absent(
            "crime_incidents",
            "victims and suspects aged 10-24 (the open police data hold no ages)",
            cfg,
        )
    )

# %% [markdown]
# ## Serious youth violence

# %%
if has_incidents:
    syv_shown = yc.publishable(syv, threshold)
    fig = charts.bar_chart(
        syv_shown,
        title=yc.change_finding(
            "Serious youth violence victims",
            syv_before,
            syv.iloc[-1],
            "",
            syv_test,
            compared_with=previous_label,
        ).rstrip("."),
        subtitle=f"Victims of serious youth violence per financial year, {place}, {incident_period}",
        source=SOURCE_INCIDENTS,
        sort=False,
        highlight=cfg.year.label,
        xlabel="Victims",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_serious_youth_violence",
        "Bar chart of serious youth violence victims per financial year: "
        + yc.counts_text(syv_shown, threshold)
        + ".",
        ctx.output_dir,
    )
else:
    display(
        pc.absent(
            "crime_incidents",
            "serious youth violence (the open police data hold no ages or offence codes)",
            cfg,
        )
    )

# %% [markdown]
# ## First-time entrants to the youth justice system

# %%
if len(fte):
    fte_target = row_target(framework, "NI111", "level")
    fte_shown = yc.publishable(fte.set_index("year")["entrants"], threshold)
    fig = charts.bar_chart(
        fte_shown,
        title=yc.fte_sentence(fte, threshold, rows.loc["NI111"] if "NI111" in rows.index else None)
        .split(":")[0]
        .split(";")[0]
        .rstrip("."),
        subtitle=f"First-time entrants aged 10-17 per financial year, {place}, {period}",
        source="Youth Justice Board first time entrants (PNC)",
        sort=False,
        highlight=fte["year"].iloc[-1],
        reference=fte_target,
        reference_label="NI 111 target",
        xlabel="First-time entrants",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_first_time_entrants",
        "Bar chart of first-time entrants per financial year: "
        + yc.counts_text(fte_shown, threshold)
        + (f"; target {fte_target:g}." if fte_target is not None else "."),
        ctx.output_dir,
    )
    shown = disclosure.mask_small_counts(
        fte[["year", "entrants", "population_10_17", "value", "lower", "upper"]].rename(
            columns={"value": "rate_per_100000", "population_10_17": "population aged 10-17"}
        ),
        "entrants",
        threshold,
        derived=["rate_per_100000", "lower", "upper"],
    )
    display(
        html_table(
            shown,
            caption=f"First-time entrants and rate per 100,000 aged 10-17, {place}",
            headers={"rate_per_100000": "Rate per 100,000"},
            formats={"population aged 10-17": 0, "rate_per_100000": 1, "lower": 1, "upper": 1},
            notes=["Lower and upper: 95% confidence interval (Byar's method; exact below 10)."],
        )
    )
elif fte_table is None:
    display(pc.absent("youth_first_time_entrants", "first-time entrants", cfg))
else:
    display(findings.HtmlBlock("<p>No first-time entrants data cover a whole financial year.</p>"))

# %% [markdown]
# ## The after-school peak

# %%
if has_incidents:
    fig = yc.hourly_chart(
        peak["hourly"],
        title=yc.after_school_sentence(peak).split("(")[0].rstrip(" ,."),
        subtitle=f"Share of offences against victims aged 10-17 by hour of day, school days and other days, {place}, {cfg.year.label}",
        source=f"{SOURCE_INCIDENTS}; school days: Monday to Friday outside school holidays",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_after_school_peak",
        "Line chart of the hourly share of offences against 10-17 year olds on school days and other days. "
        + yc.after_school_sentence(peak),
        ctx.output_dir,
    )
else:
    display(
        pc.absent(
            "crime_incidents",
            "the after-school peak (the open police data hold no times or ages)",
            cfg,
        )
    )

# %% [markdown]
# ## Youth robbery

# %%
if has_incidents:
    rob = robbery.set_index("year").rename(
        columns={
            "victims_10_17": "victims aged 10-17",
            "victims_18_24": "victims aged 18-24",
            "suspects_10_17": "suspects aged 10-17",
        }
    )
    rob_table = disclosure.suppress_counts(
        rob[["victims aged 10-17", "victims aged 18-24", "suspects aged 10-17"]],
        threshold,
        row_totals=False,
        column_totals=False,
    )
    shown = rob_table.display()
    shown.insert(0, "robberies", [f"{n:,}" for n in rob["robberies"]])
    shown["victims aged 10-17 (% of robberies)"] = [
        "[c]" if s else f"{p:.0f}%"
        for s, p in zip(
            rob_table.status["victims aged 10-17"], rob["share_victims_10_17"], strict=True
        )
    ]
    display(
        html_table(
            shown.rename_axis("year"),
            caption=f"Robbery and young people by financial year, {place}",
            notes=[rob_table.note],
        )
    )
    places = robbery_places[robbery_places["victims"] >= max(threshold, 1)].head(8)
    if len(places):
        fig = charts.bar_chart(
            places.set_index("ward")["victims"],
            title=f"{places.iloc[0]['ward']} had the most robberies of 10-17 year olds in {cfg.year.label}",
            subtitle=f"Robbery victims aged 10-17 by ward (wards with {threshold} or more), {place}, {cfg.year.label}",
            source=SOURCE_INCIDENTS,
            xlabel="Victims",
        )
        _ = charts.save_and_show(
            fig,
            "02_youth_crime_youth_robbery_wards",
            "Bar chart of robbery victims aged 10-17 by ward: "
            + ", ".join(f"{w} {n}" for w, n in zip(places["ward"], places["victims"], strict=True))
            + ".",
            ctx.output_dir,
        )
else:
    display(
        pc.absent(
            "crime_incidents",
            "robbery of and by young people (the open police data hold no ages)",
            cfg,
        )
    )

# %% [markdown]
# ## Young offenders: re-offending, employment and accommodation

# %%
if len(cohorts):
    # a rate of a small cohort, or of few re-offenders, would give the counts away: not drawn
    few = [
        disclosure.share_is_disclosive(r, n, threshold)
        for r, n in zip(cohorts["reoffenders"], cohorts["offenders"], strict=True)
    ]
    drawn = cohorts.copy()
    drawn.loc[few, ["rate", "rate_lower", "rate_upper"]] = float("nan")
    fig = yc.interval_chart(
        drawn["year"],
        {"Re-offending rate": (drawn["rate"], drawn["rate_lower"], drawn["rate_upper"])},
        title=f"Juvenile proven re-offending: {trends['rate']} ({cohorts['year'].iloc[0]} to {cohorts['year'].iloc[-1]} cohorts)",
        subtitle=f"% of young offenders re-offending within 12 months, by cohort year, {place}",
        source="Ministry of Justice proven re-offending statistics (juvenile cohort)",
        ylabel="% re-offending",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_juvenile_reoffending",
        "Chart of the juvenile re-offending rate by cohort year with 95% intervals: "
        + ", ".join(
            f"{y} " + ("not shown (too few offenders)" if pd.isna(r) else f"{r:.0f}%")
            for y, r in zip(drawn["year"], drawn["rate"], strict=True)
        )
        + f". Trend: {trends['rate']}.",
        ctx.output_dir,
    )
    shown = cohorts.rename(columns={"rate": "rate_%", "frequency": "reoffences_per_reoffender"})
    shown = shown.assign(not_reoffending=shown["offenders"] - shown["reoffenders"])
    rate_columns = ["rate_%", "rate_lower", "rate_upper"]
    frequency_columns = ["reoffences_per_reoffender", "frequency_lower", "frequency_upper"]
    shown = disclosure.mask_small_counts(
        shown,
        "offenders",
        threshold,
        derived=["reoffenders", "reoffences", *rate_columns, *frequency_columns],
    )
    shown = disclosure.mask_small_counts(
        shown, "not_reoffending", threshold, derived=["reoffenders", *rate_columns]
    ).drop(columns="not_reoffending")
    shown = disclosure.mask_small_counts(shown, "reoffences", threshold, derived=frequency_columns)
    shown = disclosure.mask_small_counts(
        shown,
        "reoffenders",
        threshold,
        derived=[
            "rate_%",
            "rate_lower",
            "rate_upper",
            "reoffences_per_reoffender",
            "frequency_lower",
            "frequency_upper",
        ],
    )
    display(
        html_table(
            shown,
            caption=f"Juvenile proven re-offending by cohort year, {place}",
            formats={"reoffences_per_reoffender": 2, "frequency_lower": 2, "frequency_upper": 2},
            notes=[
                f"Trend of the rate: {trends['rate']}; of the frequency: {trends['frequency']} (weighted regression, 99.8%).",
                "Cohorts are followed for 12 months plus 6 months for convictions, so the latest cohort is about 18 months old.",
            ],
        )
    )
elif reoffending_table is None:
    display(pc.absent("reoffending", "juvenile re-offending", cfg))
if probation_table is None:
    display(
        pc.absent("probation_outcomes", "employment and accommodation at the end of probation", cfg)
    )
if len(probation):
    latest = probation[probation["year"] == probation["year"].max()]
    shown = disclosure.mask_small_counts(
        latest[
            [
                "age_group",
                "terminations",
                "employment",
                "employment_lower",
                "employment_upper",
                "accommodation",
                "accommodation_lower",
                "accommodation_upper",
            ]
        ],
        "terminations",
        threshold,
        derived=[
            "employment",
            "employment_lower",
            "employment_upper",
            "accommodation",
            "accommodation_lower",
            "accommodation_upper",
        ],
    )
    display(
        html_table(
            shown,
            caption=f"Employment and settled accommodation at the end of probation by age, {place}, {latest['year'].iloc[0]}",
            notes=["Percentages of orders ending; lower and upper: 95% Wilson interval."],
        )
    )
    young_prob = probation[probation["age_group"] == "18-24"]
    older = probation[probation["age_group"] == "25+"]
    fig = yc.interval_chart(
        young_prob["year"],
        {
            "Aged 18-24": (
                young_prob["employment"],
                young_prob["employment_lower"],
                young_prob["employment_upper"],
            ),
            "Aged 25 and over": (
                older["employment"],
                older["employment_lower"],
                older["employment_upper"],
            ),
        },
        title=yc.employment_title(probation),
        subtitle=f"% of probation orders ending with the person in employment, by age, {place}, {period}",
        source="HM Prison and Probation Service probation outcomes",
        ylabel="% in employment",
    )
    _ = charts.save_and_show(
        fig,
        "02_youth_crime_probation_employment",
        yc.probation_sentence(probation, cfg.significance_level),
        ctx.output_dir,
    )
display(
    findings.HtmlBlock(
        "<p><strong>What the data cannot show.</strong> Probation outcomes cover adults (18 and over) only "
        "and record employment, not education or training; education, training or employment and the "
        "accommodation of children aged 10-17 at the end of youth justice orders (the Youth Justice Board "
        "key performance indicators) are not in the data supplied and appear in the framework as tbc.</p>"
    )
)

# %%
concerns = pf.framework_concerns(framework)
worsened = list(concerns["worsened"])
for measure, r in young_change.iterrows() if has_incidents else ():
    if r["significant"] and r["after"] > r["before"]:
        worsened.append(
            f"{measure} (+{r['change']:.0f}%, {int(r['before']):,} to {int(r['after']):,})"
        )
places = [
    f"{r['ward']} ({r['share']:.0f}% of robberies of 10-17 year olds)"
    for _, r in robbery_places.head(3).iterrows()
    if r["victims"] >= threshold
]
times = []
if has_incidents and peak["significant"] and peak["ratio"] > 1:
    times.append(
        f"15:00 to 18:00 on school days ({peak['school_share'] * 100:.0f}% of school-day offences against 10-17 year olds)"
    )
findings.implications(
    worsened=worsened, missed_target=concerns["missed_target"], places=places, times=times
)
