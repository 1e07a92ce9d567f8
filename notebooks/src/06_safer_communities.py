# %% [markdown]
# # Safer communities
#
# Priority 6: safer and more confident communities.

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

from sa_toolkit import charts, disclosure, findings, maps, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import safer_communities as sc
from sa_toolkit.framework import row_target
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
store = sc.load(cfg, partnership_lsoas(cfg))
framework = pc.priority_framework(cfg, "safer_communities", store)
survey = store.get("residents_survey")
safety = sc.survey_measures(survey, sc.SAFETY, fy)
community = sc.survey_measures(survey, sc.COMMUNITY, fy)
safety_change = sc.wave_change(safety["by_wave"] if safety else None, cfg.significance_level)
community_change = sc.wave_change(
    community["by_wave"] if community else None, cfg.significance_level
)
hate = sc.hate_crime(store.get("crime_incidents"), fy, cfg.significance_level)
fire = sc.fires(store.get("fire_incidents"), store.get("population"), fy, cfg.significance_level)
roads = sc.road_casualties(store.get("road_casualties"), cfg.partnership_code, fy)
people = sc.population_change(store.get("population"), cfg.baseline_year.start_year, fy.start_year)
ward_names = pc.ward_names(store.get("lookup"))
lowest_wards = []
if safety:
    after_dark = safety["by_ward"][
        (safety["by_ward"]["question"] == sc.SAFETY["safe_after_dark"])
        & (safety["by_ward"]["respondents"] >= pc.MIN_RESPONDENTS)
    ].sort_values("value")
    lowest_wards = [
        f"{ward_names.get(r.ward_code, r.ward_code)} ({r.value:.0f}%)"
        for r in after_dark.head(2).itertuples()
    ]
ksi_target = row_target(framework, "NI47", "level")

# %%
shown_findings = findings.show_key_findings(
    sc.key_findings(
        safety_change,
        community_change,
        " and ".join(lowest_wards),
        hate,
        roads,
        ksi_target,
        fire["table"] if fire else None,
        fy,
        threshold,
    )
    + [pc.rag_counts_sentence(framework, "safer communities")]
)

# %% [markdown]
# ## Performance framework

# %%
report_tables.html_table(
    pf.framework_table(framework, threshold),
    caption=f"Safer communities indicators, {place}, {fy.previous().label} to {fy.label}",
    rag_columns="RAG",
    notes=pf.methods_notes(cfg),
)

# %% [markdown]
# ## Feeling safe during the day and after dark

# %%
if safety is None:
    display(pc.absent("residents_survey", "the survey measure of feeling safe", cfg))
else:
    by_wave = safety["by_wave"]
    changes = safety_change.set_index("question")
    dark = changes.loc[sc.SAFETY["safe_after_dark"]] if len(changes) else None
    fig = pc.interval_chart(
        by_wave,
        x="wave",
        series="question",
        title=(
            f"Feeling safe after dark {'rose' if dark['change'] > 0 else 'fell'} from "
            f"{dark['before']:.0f}% to {dark['after']:.0f}%"
            + (" (a significant change)" if dark["significant"] else " (not a significant change)")
            if dark is not None
            else "Feeling safe during the day and after dark"
        ),
        subtitle=f"Residents feeling very or fairly safe outside in their local area (%, weighted), "
        f"95% intervals, {place}, survey waves",
        source="Residents' survey",
        ylabel="% feeling safe",
        percent=True,
    )
    charts.save_and_show(
        fig,
        "06_safer_communities_feeling_safe",
        "Chart of the percentage of residents feeling safe during the day and after dark in each "
        "survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
        ctx.output_dir,
    )
    display(
        report_tables.html_table(
            pc.survey_ward_table(safety["by_ward"], ward_names),
            caption=f"Residents feeling safe by ward: % (95% interval), {place}, wave {safety['latest_wave']}",
            notes=f"Sorted by feeling safe during the day. Wards with fewer than {pc.MIN_RESPONDENTS} "
            "answers are not shown.",
        )
    )

# %%
if safety is not None:  # where residents feel least safe after dark, on the ward boundaries
    _ = maps.survey_ward_map(
        cfg,
        ctx.output_dir,
        survey,
        "safe_after_dark",
        what="Feeling safe after dark",
        name="06_safer_communities_safe_after_dark",
        source="Residents' survey (weighted; 95% Wilson intervals on the effective sample size)",
        wave=int(safety["latest_wave"]),
        min_respondents=pc.MIN_RESPONDENTS,
        concern="below",
    )

# %% [markdown]
# ## Cohesion, satisfaction and confidence

# %%
if community is None:
    display(pc.absent("residents_survey", "the survey measures of cohesion and confidence", cfg))
else:
    by_wave = community["by_wave"]
    latest = by_wave[by_wave["wave"].astype(int) == community["latest_wave"]].sort_values("value")
    fig = pc.interval_chart(
        by_wave,
        x="wave",
        series="question",
        title=f"Only {latest.iloc[0]['value']:.0f}% agree that the police and council deal with "
        f"crime and ASB ({community['latest_wave']})"
        if latest.iloc[0]["question"] == sc.COMMUNITY["police_council_deal_with_asb"]
        else f"{latest.iloc[0]['question']}: lowest of the three measures at "
        f"{latest.iloc[0]['value']:.0f}%",
        subtitle=f"Residents agreeing or satisfied (%, weighted), 95% intervals, {place}, survey waves",
        source="Residents' survey (NI 1, NI 5 and NI 21 questions)",
        ylabel="% agreeing or satisfied",
        percent=True,
    )
    charts.save_and_show(
        fig,
        "06_safer_communities_cohesion_confidence",
        "Chart of cohesion, satisfaction with the area and confidence in the police and council "
        "by survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
        ctx.output_dir,
    )
    display(
        report_tables.html_table(
            community_change[
                ["question", "wave_before", "before", "wave_after", "after", "change", "p_value"]
            ],  # fmt: skip
            caption=f"Change between the last two survey waves, {place}",
            formats={
                "wave_before": "{:.0f}",
                "wave_after": "{:.0f}",
                "before": "{:.0f}%",
                "after": "{:.0f}%",
                "change": "{:+.1f} pp",
                "p_value": "{:.3f}",
            },  # fmt: skip
            headers={"question": "Measure", "p_value": "p-value"},
        )
    )

# %% [markdown]
# ## Hate crime by strand

# %%
if hate is None:
    display(pc.absent("crime_incidents", "the hate crime breakdown", cfg))
else:
    strands = disclosure.suppress_counts(hate["by_strand"], threshold, row_totals=False)
    counts = strands.published_values()[fy.label].drop("Total").dropna()
    if counts.sum() > 0:
        top = counts.idxmax()
        fig = charts.bar_chart(
            counts,
            title=f"{top} was the strand of {counts[top] / hate['this_year'] * 100:.0f}% of hate "
            f"crimes in {fy.label}",
            subtitle=f"Hate crimes by monitored strand (a crime can have more than one), {place}, "
            f"{fy.label}",
            source="Police crime recording system extract (hate crime flags)",
            xlabel="Hate crimes",
        )
        charts.save_and_show(
            fig,
            "06_safer_communities_hate_crime_strands",
            f"Bar chart of {hate['this_year']:,} hate crimes in {fy.label} by strand: "
            + "; ".join(f"{k} {v:,.0f}" for k, v in counts.items()),
            ctx.output_dir,
        )
    if hate["has_comparison"]:
        hate_caption = (
            f"{fy.previous().label} and {fy.label} "
            f"({hate['last_year']:,} and {hate['this_year']:,} hate crimes)"
        )
    else:
        display(pc.not_available(f"Change on {fy.previous().label}", fy.previous().label))
        hate_caption = f"{fy.label} ({hate['this_year']:,} hate crimes)"
    display(
        report_tables.html_table(
            strands.display().rename(index={"Total": "Total strand flags"}).rename_axis("Strand"),
            caption=f"Hate crimes by monitored strand, {place}, {hate_caption}",
            notes=[
                "A crime flagged with more than one strand counts in each, so the strand flags add up "
                "to more than the number of hate crimes.",
                strands.note,
            ],
        )
    )

# %% [markdown]
# ## Fires and fire casualties

# %%
if fire is None:
    display(pc.absent("fire_incidents", "fire figures", cfg))
else:
    table = fire["table"]
    monthly = fire["monthly"]
    primary = table.set_index("measure").loc["Primary fires"]
    if fire["has_comparison"]:
        fire_title = (
            findings.change_sentence(
                "Primary fires",
                primary["last_year"],
                primary["this_year"],
                unit="fires",
                threshold=threshold,
            )
            .split(" (")[0]
            .rstrip(".")
            + f" in {fy.label}"
        )
        fire_alt = (
            f"{disclosure.safe_count(primary['this_year'], threshold)} primary fires in {fy.label} against "
            f"{disclosure.safe_count(primary['last_year'], threshold)} the year before."
        )
    else:
        fire_title = f"{disclosure.safe_count(primary['this_year'], threshold)} primary fires were attended in {fy.label}"
        fire_alt = (
            f"{disclosure.safe_count(primary['this_year'], threshold)} primary fires in {fy.label}."
        )
    if len(monthly):
        fig = charts.monthly_trend(
            monthly,
            title=fire_title,
            subtitle=f"Fires attended per month, {place}, {monthly.index[0].strftime('%B %Y')} to "
            f"{monthly.index[-1].strftime('%B %Y')}",
            source="Fire and rescue service Incident Recording System",
            measure="Fires",
        )
        charts.save_and_show(
            fig,
            "06_safer_communities_fires_trend",
            f"Line chart of primary and secondary fires per month in {place}: " + fire_alt,
            ctx.output_dir,
        )
    derived = ["rate_this", "lower", "upper", "change", "p_value"]
    shown = disclosure.mask_small_counts(
        table, "this_year", threshold, derived=[c for c in derived if c in table.columns]
    )
    if fire["has_comparison"]:
        shown = disclosure.mask_small_counts(
            shown, "last_year", threshold, derived=["rate_last", "change"]
        )
        compared = f"{fy.previous().label} and "
    else:
        display(pc.not_available(f"Change on {fy.previous().label}", fy.previous().label))
        compared = ""
    display(
        report_tables.html_table(
            shown.drop(columns="significant"),
            caption=f"Fires and fire casualties, {place}, {compared}{fy.label}; "
            "rates per 100,000 residents",
            formats={
                "rate_last": 1,
                "rate_this": 1,
                "lower": 1,
                "upper": 1,
                "change": "{:+.0f}%",
                "p_value": "{:.3f}",
            },  # fmt: skip
            headers={
                "last_year": fy.previous().label,
                "this_year": fy.label,
                "rate_last": f"Rate {fy.previous().label}",
                "rate_this": f"Rate {fy.label}",
                "lower": "95% CI lower",
                "upper": "95% CI upper",
                "p_value": "p-value",
            },  # fmt: skip
            notes=[
                disclosure.suppression_note(threshold),
                "Deliberate fires are reported per 10,000 residents in the anti-social behaviour report.",
            ],
        )
    )

# %% [markdown]
# ## Road casualties: killed or seriously injured

# %%
if not len(roads):
    display(pc.absent("road_casualties", "road casualty figures", cfg))
else:
    breaks = [int(k[:4]) for k in pc.breaks_for(["ksi_casualties", "NI47"], cfg.raw_dir)]
    first_year = max([b for b in breaks if b <= roads["year"].max()], default=roads["year"].min())
    shown = roads[roads["year"] >= first_year].astype({"year": str})
    # a count below the suppression threshold is not drawn (a gap) nor given in the alt text
    small = shown["casualties"].between(1, threshold - 1)
    shown.loc[small, ["value", "lower", "upper"]] = float("nan")
    shown["count_text"] = (
        shown["casualties"].map("{:,}".format).mask(small, f"fewer than {threshold}")
    )
    all_ages = shown[shown["group"] == "All ages"]
    last = all_ages.iloc[-1]
    fig = pc.interval_chart(
        shown,
        x="year",
        series="group",
        title=f"{disclosure.safe_count(int(last['casualties']), threshold).capitalize()} people were killed or seriously injured on the roads "
        f"in {last['year']}"
        + (
            f", {'within' if last['casualties'] <= ksi_target else 'above'} the target of "
            f"{ksi_target:,.0f}"
            if ksi_target is not None
            else ""
        ),
        subtitle=f"Killed or seriously injured road casualties with 95% Poisson intervals, {place}, "
        f"calendar years {shown['year'].iloc[0]} to {last['year']}",
        source="Department for Transport, reported road casualties (STATS19)",
        ylabel="Casualties",
        reference=ksi_target,
        reference_label="Target (all ages)",
    )
    charts.save_and_show(
        fig,
        "06_safer_communities_road_casualties",
        "Chart of killed or seriously injured road casualties by year, all ages and children: "
        + "; ".join(f"{r.group} {r.year}: {r.count_text}" for r in shown.itertuples()),
        ctx.output_dir,
    )

# %% [markdown]
# ## Population change (context)

# %%
if len(people):
    first, last = people.attrs["years"]
    if first == last:  # the baseline is the assessed year: one estimate, no change
        people, years_shown = people.drop(columns=["last", "change"]), f"mid-{first}"
    else:
        years_shown = f"mid-{first} and mid-{last}"
    display(
        report_tables.html_table(
            people.rename(columns={"first": f"Mid-{first}", "last": f"Mid-{last}"}),
            caption=f"Residents by age group, {place}, {years_shown}",
            formats={"change": "{:+.1f}%"},
            headers={"age_group": "Age group", "change": "Change"},
            notes="Rates per 100,000 and per 1,000 in this report use the mid-year estimate of "
            "each financial year's start (the nearest one when there is none for that year).",
        )
    )

# %%
concerns = pf.framework_concerns(framework)
worsened, missed = concerns["worsened"], concerns["missed_target"]
for frame in (safety_change, community_change):
    for r in frame.itertuples():
        if r.significant and r.change < 0:
            worsened.append(f"{r.question} ({r.change:+.1f} points, {r.wave_after})")
if hate is not None and hate["significant"] and hate["change"] > 0:
    worsened.append(f"Recorded hate crime (+{hate['change']:.0f}%)")
findings.implications(
    worsened=list(dict.fromkeys(worsened)),
    missed_target=missed,
    places=[f"feeling safe after dark is lowest in {' and '.join(lowest_wards)}"]
    * bool(lowest_wards),
)
