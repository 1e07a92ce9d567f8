# %% [markdown]
# # Drugs and alcohol
#
# Priority 4: reduce the harm caused by drugs and alcohol.

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
from IPython.display import HTML, display

from sa_toolkit import charts, disclosure, findings, maps, report_tables
from sa_toolkit.analysis import drugs_alcohol as da
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
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
lsoas = partnership_lsoas(cfg)
store = da.load(cfg)
framework = pc.priority_framework(cfg, "drugs_and_alcohol", store)
offences = da.drug_offences(store.get("crime_incidents"), lsoas, fy, cfg.significance_level)
searches = da.drug_searches(store.get("police_stop_search"), store.get("police_street"), lsoas, fy)
treatment = da.treatment_summary(store.get("treatment_monthly"), cfg.partnership_code, fy)
pen = da.penetration(
    store.get("treatment_monthly"), store.get("drug_prevalence"), cfg.partnership_code, fy
)
violence = da.alcohol_violence(store.get("crime_incidents"), store.get("lookup"), lsoas, fy)
admissions = da.alcohol_admissions_dsr(store.get("alcohol_admissions"), cfg.partnership_code, fy)
views = da.perceptions(store.get("residents_survey"), fy)

# %%
shown_findings = findings.show_key_findings(
    da.key_findings(
        offences, searches, pen, violence, admissions, fy, cfg.significance_level, threshold
    )
    + [pc.rag_counts_sentence(framework, "drugs and alcohol")]
)

# %% [markdown]
# ## Performance framework

# %%
report_tables.html_table(
    pf.framework_table(framework, threshold),
    caption=f"Drugs and alcohol indicators, {place}, {fy.previous().label} to {fy.label}",
    rag_columns="RAG",
    notes=pf.methods_notes(cfg),
)

# %% [markdown]
# ## Drug offences: possession and supply

# %%
if offences is None:
    display(pc.absent("crime_incidents", "the breakdown of drug offences", cfg))
else:
    monthly = offences["monthly"]
    table = offences["table"].set_index("kind")
    total = table.loc["All drug offences"]
    if offences["has_comparison"]:
        drugs_title = (
            findings.change_sentence(
                "Drug offences", total["last_year"], total["this_year"], threshold=threshold
            )
            .split(" (")[0]
            .rstrip(".")
            + f" in {fy.label}"
        )
        drugs_alt = f"{disclosure.safe_count(total['this_year'], threshold)} drug offences in {fy.label} against {disclosure.safe_count(total['last_year'], threshold)} in {fy.previous().label}."
    else:
        drugs_title = f"{disclosure.safe_count(total['this_year'], threshold)} drug offences were recorded in {fy.label}"
        drugs_alt = (
            f"{disclosure.safe_count(total['this_year'], threshold)} drug offences in {fy.label}."
        )
    fig = charts.monthly_trend(
        monthly,
        title=drugs_title,
        subtitle=f"Recorded drug offences per month by kind, {place}, "
        f"{monthly.index[0].strftime('%B %Y')} to {monthly.index[-1].strftime('%B %Y')}",
        source="Police crime recording system extract (Home Office offence codes 92A-92E)",
        breaks=pc.breaks_for(["drug_offences_rate"], cfg.raw_dir),
    )
    charts.save_and_show(
        fig,
        "04_drugs_and_alcohol_drug_offences_trend",
        f"Line chart of monthly possession and supply offences in {place}: " + drugs_alt,
        ctx.output_dir,
    )
    shown = offences["table"].rename(
        columns={"last_year": fy.previous().label, "this_year": fy.label}
    )
    compared_years = (fy.previous().label, fy.label)
    if not offences["has_comparison"]:
        display(pc.not_available(f"Change on {fy.previous().label}", fy.previous().label))
        shown = shown[["kind", fy.label]]
        compared_years = (fy.label,)
    for column in compared_years:
        shown = disclosure.mask_small_counts(
            shown,
            column,
            threshold,
            derived=[c for c in ("change", "p_value") if c in shown],
            total_row=("kind", "All drug offences"),
        )
    if "significant" in shown:
        shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
    display(
        report_tables.html_table(
            shown,
            caption=f"Drug offences by kind, {place}, {' and '.join(compared_years)}",
            formats={"change": "{:+.1f}%", "p_value": "{:.3f}"},
            headers={"kind": "Offence", "change": "Change", "p_value": "p-value (exact test)"},
            notes=disclosure.suppression_note(threshold),
        )
    )

# %% [markdown]
# ### Maps of drug offences
#
# Drug offences recorded by the police (data.police.uk "Drugs") per 1,000 residents by ward and by LSOA, on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where they cluster. Drug offences are found mostly by police activity, so a high rate shows where the police found drugs as much as where drugs are.

# %%
street = store.get("police_street")
if street is not None:
    drugs = street[
        (street["crime_type"].astype(str) == "Drugs")
        & street["lsoa_code"].astype(str).isin(set(lsoas))
        & (street["month"] >= fy.first_month)
        & (street["month"] <= fy.last_month)
    ]
    _ = maps.priority_maps(
        cfg,
        ctx.output_dir,
        drugs,
        what="Drug offences",
        name="04_drugs_and_alcohol_drug_offences",
        source="data.police.uk street-level crime",
    )

# %% [markdown]
# ## Stop and search for drugs

# %%
if searches is None:
    display(pc.absent("police_stop_search", "stop and search", cfg))
else:
    n_search = searches["this_year"]
    where = "in the partnership" if searches["scope"] == "partnership" else "force-wide"
    if n_search:
        outcomes = pc.combine_small(
            searches["outcomes"].set_index("outcome")["searches"], threshold, "Other outcomes"
        )
        share = outcomes / n_search * 100
        first = outcomes.index[0].lower().removeprefix("a ").removesuffix(" disposal")
        fig = charts.bar_chart(
            share,
            title=f"{findings.format_percent(share.iloc[0])} of drug searches {where} ended with {first}",
            subtitle=f"Share of stop and searches for controlled drugs by outcome (%), {place}, {fy.label}",
            source="data.police.uk stop and search",
            value_format="{:.0f}%",
            xlabel="% of searches",
        )
        charts.save_and_show(
            fig,
            "04_drugs_and_alcohol_drug_search_outcomes",
            f"Bar chart of the outcomes of {n_search:,} stop and searches for drugs {where} in "
            f"{fy.label}; the most common was {outcomes.index[0]} ({share.iloc[0]:.0f}%).",
            ctx.output_dir,
        )
        placed = (
            f"Searches are placed in the partnership by their coordinates (nearest LSOA); "
            f"{searches['no_coordinates']:,} drug searches in the force data had no coordinates."
            if searches["scope"] == "partnership"
            else "No search could be placed by its coordinates: figures are for the whole force."
        )
        search_rates = searches["rates"][
            ["measure", "numerator", "searches", "value", "lower", "upper"]
        ]
        search_rates = disclosure.mask_small_counts(
            disclosure.mask_small_counts(
                search_rates.assign(rest=search_rates["searches"] - search_rates["numerator"]),
                "rest", threshold, derived=["numerator", "value", "lower", "upper"],
            ),
            "numerator", threshold, derived=["value", "lower", "upper"],
        ).drop(columns="rest")  # fmt: skip
        display(
            report_tables.html_table(
                search_rates,
                caption=f"Stop and search for drugs {where}: outcomes, {fy.label}"
                + (
                    f" ({searches['this_year_compared']:,} searches against {searches['last_year']:,} "
                    f"in {fy.previous().label}, the same months)"
                    if searches["last_year"] is not None and searches["months_note"]
                    else f" ({searches['last_year']:,} searches in {fy.previous().label})"
                    if searches["last_year"] is not None
                    else ""
                ),
                formats={"value": "{:.1f}%", "lower": "{:.1f}%", "upper": "{:.1f}%"},
                headers={
                    "numerator": "Searches",
                    "searches": "Of all searches",
                    "value": "Percent",
                    "lower": "95% CI lower",
                    "upper": "95% CI upper",
                },  # fmt: skip
                notes=[placed, searches["months_note"]],
            )
        )
    else:
        display(HTML(f"<p>No stop and search for drugs {where} in {fy.label}.</p>"))

# %% [markdown]
# ## Treatment: numbers, penetration and successful completions

# %%
if not len(treatment):
    display(pc.absent("treatment_monthly", "treatment activity", cfg))
else:
    labels = {"opiate": "Opiate", "non_opiate": "Non-opiate", "alcohol": "Alcohol only",
              "non_opiate_and_alcohol": "Non-opiate and alcohol"}  # fmt: skip
    chart = treatment.assign(substance_group=treatment["substance_group"].map(labels))
    # a completion rate of a small number in treatment (or of few completions) is not drawn
    few = [
        disclosure.share_is_disclosive(round(c), round(n), threshold)
        for c, n in zip(chart["successful_completions"], chart["in_treatment"], strict=True)
    ]
    drawn = chart.copy()
    drawn.loc[few, ["value", "lower", "upper"]] = float("nan")
    now = drawn[drawn["year"] == fy.label].dropna(subset=["value"]).sort_values("value")
    if not len(now):
        display(
            HTML(
                f"<p>Too few clients in each substance group in {fy.label} to show completion rates.</p>"
            )
        )
if len(treatment) and len(now):
    fig = pc.interval_chart(
        drawn,
        x="substance_group",
        series="year",
        title=f"{now.iloc[0]['substance_group']} clients completed treatment least often "
        f"({findings.format_percent(now.iloc[0]['value'])} in {fy.label})",
        subtitle=f"Successful completions as % of the average monthly number in treatment, "
        f"with 95% intervals, {place}, {fy.previous().label} and {fy.label}",
        source="National Drug Treatment Monitoring System (NDTMS), partnership extract",
        ylabel="Successful completions (%)",
        percent=True,
        connect=False,
    )
    charts.save_and_show(
        fig,
        "04_drugs_and_alcohol_treatment_completions",
        "Chart of successful completion percentages with intervals by substance group: "
        + "; ".join(f"{r.substance_group} {r.value:.0f}%" for r in now.itertuples()),
        ctx.output_dir,
    )
if len(treatment):
    treated = chart[
        [
            "year",
            "substance_group",
            "in_treatment",
            "successful_completions",
            "value",
            "lower",
            "upper",
        ]
    ]
    # a share of a small number in treatment, or a small number of completions, is hidden
    treated = disclosure.mask_small_counts(
        treated.assign(in_treatment=treated["in_treatment"].round()),
        "in_treatment", threshold, derived=["successful_completions", "value", "lower", "upper"],
    )  # fmt: skip
    treated = disclosure.mask_small_counts(
        treated, "successful_completions", threshold, derived=["value", "lower", "upper"]
    )
    display(
        report_tables.html_table(
            treated,
            caption=f"Adults in treatment (average per month) and successful completions, {place}",
            notes=disclosure.suppression_note(threshold),
            formats={"value": "{:.1f}%", "lower": "{:.1f}%", "upper": "{:.1f}%"},
            headers={
                "substance_group": "Substance",
                "value": "Completed (%)",
                "lower": "95% CI lower",
                "upper": "95% CI upper",
            },  # fmt: skip
        )
    )
if pen is not None:
    display(
        HTML(
            f"<p>Penetration: an average of {disclosure.safe_count(round(pen['in_treatment']), threshold)} opiate clients a month "
            f"were in treatment in {fy.label}, {pen['value']:.0f}% of the "
            f"{pen['estimate']:,.0f} opiate users estimated for {pen['estimate_year']} "
            f"(95% interval of the estimate {pen['estimate_lower']:,.0f} to "
            f"{pen['estimate_upper']:,.0f}, so {pen['lower']:.0f}% to {pen['upper']:.0f}%).</p>"
        )
    )

# %% [markdown]
# ## Alcohol-related violence and the night-time economy

# %%
if violence is None:
    display(pc.absent("crime_incidents", "alcohol-related violence", cfg))
else:
    wards = violence["wards"]
    if violence["count"]:
        top = wards.head(10).set_index("ward_name")["alcohol_related"]
        fig = charts.bar_chart(
            top,
            title=f"{wards.iloc[0]['ward_name']} had {findings.format_percent(wards.iloc[0]['share_of_all'])}"
            f" of alcohol-related violence; {findings.format_percent(violence['night_share'])} "
            "was on Friday and Saturday nights",
            subtitle=f"Alcohol-related violence against the person, top 10 wards, {place}, {fy.label}",
            source="Police crime recording system extract (alcohol flag)",
            highlight=wards.iloc[0]["ward_name"],
            xlabel="Offences",
            threshold=threshold,
        )
        charts.save_and_show(
            fig,
            "04_drugs_and_alcohol_alcohol_violence_wards",
            f"Bar chart of alcohol-related violence in the ten wards with most: "
            f"{wards.iloc[0]['ward_name']} {disclosure.safe_count(wards.iloc[0]['alcohol_related'], threshold)} offences of "
            f"{disclosure.safe_count(violence['count'], threshold)}.",
            ctx.output_dir,
        )
        shown = disclosure.mask_small_counts(
            wards.head(10), "alcohol_related", threshold,
            derived=["share_of_ward_violence", "share_of_all"],
        )  # fmt: skip
        shown = disclosure.mask_small_counts(
            shown, "violence", threshold, derived=["share_of_ward_violence"]
        )
        display(
            report_tables.html_table(
                shown,
                caption=f"Alcohol-related violence by ward (top 10), {place}, {fy.label}",
                formats={"share_of_ward_violence": "{:.0f}%", "share_of_all": "{:.0f}%"},
                headers={
                    "ward_name": "Ward",
                    "alcohol_related": "Alcohol-related",
                    "violence": "All violence",
                    "share_of_ward_violence": "% of ward's violence",
                    "share_of_all": "% of all alcohol-related",
                },  # fmt: skip
                notes=[
                    f"Friday and Saturday nights (22:00 to 03:00) are 6% of the week's hours but held "
                    f"{violence['night_share']:.0f}% of alcohol-related violence and "
                    f"{violence['night_share_other']:.0f}% of other violence.",
                    disclosure.suppression_note(threshold),
                ],
            )
        )

# %% [markdown]
# ## Alcohol-related hospital admissions

# %%
persons = admissions.dropna(subset=["value"])
if not len(persons):
    display(pc.absent("alcohol_admissions", "the admission rate", cfg))
else:
    rate_now = persons[(persons["sex"] == "Persons") & (persons["financial_year"] == fy.label)]
    rate_first = persons[persons["sex"] == "Persons"].iloc[0]
    title = "Alcohol-related admissions: age-standardised rate by year"
    if len(rate_now):
        title = (
            findings.change_sentence(
                "The alcohol-related admission rate",
                rate_first["value"],
                rate_now.iloc[0]["value"],
                unit="",
            ).split(" (")[0]
            + f" between {rate_first['financial_year']} and {fy.label}; five-year trend: "
            + da.admissions_trend(admissions)
        )
    fig = pc.interval_chart(
        persons,
        x="financial_year",
        series="sex",
        title=title,
        subtitle=f"Admissions per 100,000, directly standardised (ESP 2013), 95% intervals, {place}",
        source="OHID Local Alcohol Profiles; Hospital Episode Statistics",
        ylabel="Per 100,000",
    )
    charts.save_and_show(
        fig,
        "04_drugs_and_alcohol_alcohol_admissions_dsr",
        "Chart of alcohol-related hospital admission rates per 100,000 by year for persons, "
        "females and males, with 95% confidence intervals: "
        + "; ".join(
            f"{r.financial_year} {r.value:.0f} per 100,000"
            for r in persons[persons["sex"] == "Persons"].itertuples()
        ),
        ctx.output_dir,
    )

# %% [markdown]
# ## Perceptions of drunk or rowdy behaviour and of drug use or dealing

# %%
if views is None:
    display(pc.absent("residents_survey", "survey perceptions", cfg))
else:
    by_wave = views["by_wave"]
    latest = by_wave[by_wave["wave"].astype(int) == views["latest_wave"]].sort_values("value")
    fig = pc.interval_chart(
        by_wave,
        x="wave",
        series="question",
        title=f"{findings.format_percent(latest.iloc[-1]['value'])} of residents see "
        f"{latest.iloc[-1]['question'].lower()} as a big problem ({views['latest_wave']})",
        subtitle=f"Residents saying a very or fairly big problem (%, weighted), 95% intervals, "
        f"{place}, survey waves",
        source="Residents' survey (base includes Don't know)",
        ylabel="% saying a big problem",
        percent=True,
    )
    charts.save_and_show(
        fig,
        "04_drugs_and_alcohol_perceptions",
        "Chart of the percentage of residents seeing drunk or rowdy behaviour and drug use or "
        "dealing as a big problem in each survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
        ctx.output_dir,
    )
    ward_names = pc.ward_names(store.get("lookup"))
    display(
        report_tables.html_table(
            pc.survey_ward_table(views["by_ward"], ward_names),
            caption=f"Residents seeing each as a very or fairly big problem by ward: % (95% interval), "
            f"{place}, wave {views['latest_wave']}",
            notes=f"Wards with fewer than {pc.MIN_RESPONDENTS} answers are not shown.",
        )
    )

# %%
concerns = pf.framework_concerns(framework)
worsened, missed = concerns["worsened"], concerns["missed_target"]
has_violence = violence is not None and violence["count"] > 0
places = [
    f"{r.ward_name} ward ({r.share_of_all:.0f}% of alcohol-related violence)"
    for r in (violence["wards"].head(2).itertuples() if has_violence else [])
    if r.share_of_all >= 10
]
times = (
    [f"{pc.FRI_SAT_NIGHT}: {violence['night_share']:.0f}% of alcohol-related violence"]
    if has_violence
    else []
)
findings.implications(worsened=worsened, missed_target=missed, places=places, times=times)
