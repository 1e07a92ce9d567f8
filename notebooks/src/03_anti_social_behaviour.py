# %% [markdown]
# # Anti-social behaviour
#
# Priority 3: reduce anti-social behaviour and the damage and disorder that go with it. This report reads anti-social behaviour incidents reported to the police, the council and housing providers, the residents' survey, and fire and rescue incidents.

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

from sa_toolkit import charts, disclosure, findings, maps
from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.coverage import compare_years, table_coverage
from sa_toolkit.geography import place_level
from sa_toolkit.indicators.catalogue import (
    comparison_caveats,
    comparison_flags,
    load_series_breaks,
)
from sa_toolkit.indicators.computations import NotComputable, population
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
framework = pf.priority_framework(cfg, "anti_social_behaviour", src)
police_only = not pc.table_supplied("asb_incidents", cfg.processed_dir)
# years before the data begin are left out, not shown or compared as years without incidents
asb_table = "police_street" if police_only else "asb_incidents"
years = yc.years_to(cfg, table_months(asb_table, cfg.processed_dir))
# a month missing from the data is missing, not zero; this year and last like for like
asb_coverage = table_coverage(asb_table, cfg.processed_dir)
asb_comparison = compare_years(asb_coverage, cfg.year)
compared = len(years) > 1 and asb_comparison.compared
previous_label = cfg.year.previous().label
months = pd.period_range(years[0].first_month, cfg.year.last_month, freq="M")
period = span_label(years[0], cfg.year)
if police_only:  # no partner extract: the police's ASB from the data.police.uk files
    incidents = asb.police_incidents(src)
else:
    incidents = src.read("asb_incidents", asb.ASB_COLUMNS)
lookup = src.read("lookup", ["lsoa_code", "ward_code", "ward_name", "place_level"])
places = place_level(lookup)
this_year = asb.in_year(incidents, cfg.year)
by_source = asb.source_changes(
    incidents, cfg.year, compared, asb_comparison, cfg.significance_level
).set_index("source")
monthly = asb.monthly_by_source(incidents, months, asb_coverage)
if police_only:
    monthly = monthly[["Police"]]
    by_source = by_source.loc[["police", "all sources"]]
season = asb.seasonality(monthly.sum(axis=1, min_count=1))
wards = asb.ward_rates(
    this_year,
    lookup,
    src.read("population", ["year", "lsoa_code", "age_min", "population"]),
    cfg.year.start_year,
)
spread = asb.lsoa_concentration(this_year, src.lsoas)
repeats = asb.repeat_locations(this_year)
survey = pc.read_if_supplied(src, "residents_survey")
waves = asb.strand_waves(survey, cfg.year) if survey is not None else pd.DataFrame()
strand_change = asb.strand_change(waves) if len(waves) else pd.DataFrame()
populations = {}
for y in years:
    try:
        populations[y.label] = population(src, y)[0]
    except NotComputable:  # no estimate for that year: the year is left out of the fire rates
        pass
fire_table = pc.read_if_supplied(src, "fire_incidents")
fires = (
    asb.deliberate_fires(
        fire_table, populations, yc.years_to(cfg, table_months("fire_incidents", cfg.processed_dir))
    )
    if fire_table is not None
    else pd.DataFrame()
)
SOURCE_ASB = (
    asb.SOURCE_POLICE if police_only else "Police, council and housing ASB incident extracts"
)

# %%
key = [asb.headline_sentence(by_source, cfg.year, threshold, police_only)]
if asb_comparison.note():  # months missing: the headline says what was compared
    key[0] = f"{key[0].rstrip()} {asb_comparison.note()}"
# events the comparison spans (COVID-19 restrictions): said in the headline and below
asb_breaks = load_series_breaks(raw_dir=cfg.raw_dir)
asb_caveats, asb_flags = [], []
if compared:
    asb_caveats = comparison_caveats(["asb_rate"], cfg.year.previous(), cfg.year, asb_breaks)
    asb_flags = comparison_flags(["asb_rate"], cfg.year.previous(), cfg.year, asb_breaks)
if asb_flags:
    key[0] = f"{key[0].rstrip()} {' '.join(asb_flags)}"
key.append(asb.season_sentence(season))
if len(wards) and wards["incidents"].sum():
    key.append(asb.hotspot_sentence(wards, spread, repeats, cfg.year, threshold))
if len(strand_change):
    key.append(asb.survey_sentence(strand_change))
if len(fires):
    key.append(asb.fires_sentence(fires, cfg.year, threshold, cfg.significance_level))
_ = findings.show_key_findings(key[:6])

# %% [markdown]
# ## Performance framework
#
# The anti-social behaviour indicators for the year against the year before. No dataset supplied carries breaches of Criminal Behaviour Orders and civil injunctions (which replaced ASBOs in 2014) or of Acceptable Behaviour Contracts: the analyst enters them, and they show as tbc (to be confirmed) until then.

# %%
not_computed = pf.not_computed_notes(framework)
display(
    html_table(
        pf.framework_table(framework, threshold),
        caption=f"Anti-social behaviour performance framework, {place}, {cfg.year.previous().label} to {cfg.year.label}",
        rag_columns="RAG",
        notes=["RAG: traffic light, always with its text in the Rating column."]
        + pf.methods_notes(cfg)
        + not_computed,
    )
)

# %% [markdown]
# ## Incidents by source and category

# %%
if police_only:
    display(
        pc.absent(
            "asb_incidents",
            "council and housing incidents and the category of each incident",
            cfg,
            instead=f"Incidents below are those recorded by the police ({asb.SOURCE_POLICE}).",
        )
    )
else:
    table = disclosure.suppress_counts(asb.by_source_category(incidents, cfg.year), threshold)
    display(
        html_table(
            table.display().rename_axis("Category"),
            caption=f"Anti-social behaviour incidents by category and source, {place}, {cfg.year.label}",
            notes=[table.note],
        )
    )
changes = by_source.reset_index()
changes["change_%"] = changes["change"].round(1)
changes["significant"] = changes["significant"].map({True: "yes", False: "no"})
shown_columns = ["source", "before", "after", "change_%", "p_value", "significant"]
display(pc.coverage_note(asb_comparison.note()))
for caveat in asb_caveats:
    display(pc.coverage_note(caveat))
if not compared:
    if not asb_comparison.has_previous:
        display(pc.not_available(f"Change on {previous_label}", previous_label))
    shown_columns = ["source", "after"]
display(
    html_table(
        disclosure.mask_small_counts(
            changes[shown_columns].rename(
                columns={"before": previous_label, "after": cfg.year.label}
            ),
            cfg.year.label,
            threshold,
            derived=["change_%", "p_value"] if compared else [],
        ),
        caption=f"Anti-social behaviour incidents by source, {place}",
        formats={"p_value": 3},
        notes=["Significance: exact test of two Poisson counts, 5% level."],
    )
)
total = by_source.loc["all sources"]
fig = charts.monthly_trend(
    monthly,
    title=yc.change_finding(
        f"Anti-social behaviour incidents in {cfg.year.label}",
        total["before"],
        total["after"],
        "",
        total.to_dict(),
        threshold=threshold,
        compared_with=previous_label,
    )
    .split(";")[0]
    .rstrip("."),
    subtitle=f"Incidents per month by source, {place}, {period}",
    source=SOURCE_ASB,
    measure="Incidents",
)
_ = charts.save_and_show(
    fig,
    "03_anti_social_behaviour_trend_by_source",
    f"Line chart of monthly anti-social behaviour incidents {'recorded by the police' if police_only else 'reported to the police, council and housing providers'} in {place}, {period}, with 12-month averages and financial-year totals. "
    + asb.headline_sentence(by_source, cfg.year, threshold, police_only),
    ctx.output_dir,
)

# %% [markdown]
# ## Seasonality

# %%
if len(season):
    fig = charts.bar_chart(
        season.set_index("month")["mean"],
        title=asb.season_sentence(season).rstrip("."),
        subtitle=f"Average incidents per calendar month, all sources, {place}, {asb.financial_years_text(int(season['years'].iloc[0]))} to {cfg.year.label}",
        source=SOURCE_ASB,
        sort=False,
        reference=float(season["mean"].mean()),
        reference_label="Monthly average",
        xlabel="Average incidents",
    )
    _ = charts.save_and_show(
        fig,
        "03_anti_social_behaviour_seasonality",
        "Bar chart of average anti-social behaviour incidents by calendar month. "
        + asb.season_sentence(season),
        ctx.output_dir,
    )

# %% [markdown]
# ## Hotspots and repeat locations

# %%
shown_wards = wards[["ward", "incidents", "value", "lower", "upper", "share"]].rename(
    columns={"value": "rate_per_1000", "share": "share_%"}
)
display(
    html_table(
        disclosure.mask_small_counts(
            shown_wards.head(10),
            "incidents",
            threshold,
            derived=["rate_per_1000", "lower", "upper", "share_%"],
        ),
        caption=f"The ten {places.plural} with most anti-social behaviour incidents, {place}, {cfg.year.label}",
        headers={
            "ward": places.title,
            "rate_per_1000": "Rate per 1,000",
            "share_%": "Share of incidents (%)",
        },
        formats={"rate_per_1000": 1, "lower": 1, "upper": 1, "share_%": 1},
        notes=[
            f"Rate per 1,000 residents (mid-{wards.attrs.get('population_year', '')} estimates); lower and upper: 95% interval (Byar's method).",
            f"Incidents without a location are not counted in any {places.noun}.",
            *([places.note] if places.note else []),
        ],
    )
)
bands = repeats["bands"].rename(columns={"incidents_per_location": "incidents at the location"})
band_table = disclosure.suppress_counts(
    bands.set_index("incidents at the location"), threshold, row_totals=False
)
display(
    html_table(
        band_table.display().rename_axis("Incidents at the location"),
        caption=f"Locations by number of anti-social behaviour incidents, {place}, {cfg.year.label}",
        notes=[
            band_table.note,
            "A location is an LSOA and its anonymised location description; no location is named.",
        ],
    )
)
located = this_year.dropna(subset=["longitude", "latitude"])
if len(located) >= threshold and maps.map_layers(cfg) is None:  # else the maps below
    fig = charts.density_map(
        located["longitude"],
        located["latitude"],
        title=asb.hotspot_sentence(wards, spread, repeats, cfg.year, threshold).split(";")[0],
        subtitle=f"Anti-social behaviour incidents per hexagon (hexagons with {threshold} or more), {place}, {cfg.year.label}"
        + (
            f"; {len(this_year) - len(located):,} incidents without coordinates left out"
            if len(this_year) > len(located)
            else ""
        ),
        source=SOURCE_ASB,
        min_count=threshold,
        labels=asb.ward_labels(located, lookup, wards["ward"].head(3)),
        colorbar_label="Incidents per hexagon",
    )
    _ = charts.save_and_show(
        fig,
        "03_anti_social_behaviour_density_map",
        "Map of anti-social behaviour incident density. "
        + asb.hotspot_sentence(wards, spread, repeats, cfg.year, threshold),
        ctx.output_dir,
    )

# %% [markdown]
# ### Maps
#
# Incidents per 1,000 residents by ward and by LSOA on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where incidents cluster within the partnership.

# %%
_ = maps.priority_maps(
    cfg,
    ctx.output_dir,
    this_year,
    what="Anti-social behaviour",
    name="03_anti_social_behaviour_asb",
    source=SOURCE_ASB,
    count_label="Incidents",
)

# %% [markdown]
# ## Residents' perceptions

# %%
if len(waves):
    fig = asb.strands_chart(
        waves,
        title=asb.survey_sentence(strand_change).split(";")[0].rstrip(".")
        if len(strand_change)
        else "Residents' perceptions of anti-social behaviour",
        subtitle=f"% of residents saying each is a very or fairly big problem, by survey wave, {place}",
        source="Residents' survey (weighted; 95% Wilson intervals on the effective sample size)",
    )
    _ = charts.save_and_show(
        fig,
        "03_anti_social_behaviour_perceptions",
        "Chart of the share of residents seeing each anti-social behaviour strand as a big problem, by survey wave. "
        + (asb.survey_sentence(strand_change) if len(strand_change) else ""),
        ctx.output_dir,
    )
if len(strand_change):
    shown = strand_change[
        ["label", "before", "after", "change", "lower", "upper", "p_value", "significant"]
    ].rename(
        columns={
            "label": "strand",
            "before": f"{strand_change['before_wave'].iloc[0]} (%)",
            "after": f"{strand_change['after_wave'].iloc[0]} (%)",
            "change": "change (pp)",
        }
    )
    shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
    display(
        html_table(
            shown,
            caption=f"Anti-social behaviour seen as a very or fairly big problem, change between survey waves, {place}",
            formats={"p_value": 3},
            notes=[
                "Weighted percentages; change in percentage points with Newcombe's interval; z test on the Kish effective sample sizes, 5% level."
            ],
        )
    )
    latest_wave = int(waves["wave"].max())
    latest = waves[waves["wave"] == latest_wave].set_index("strand")
    # the strand residents name most often, by ward
    top_strand = latest["value"].idxmax()
    by_ward = asb.strands_by_ward(survey, lookup, latest_wave)
    ward_sentence = asb.ward_strand_sentence(
        by_ward, top_strand, latest.loc[top_strand, "value"], threshold, cfg.significance_level
    )
    fig = asb.ward_strand_chart(
        by_ward,
        top_strand,
        latest.loc[top_strand, "value"],
        threshold,
        title=ward_sentence,
        subtitle=f"% of residents saying {asb.STRANDS[top_strand].lower()} is a very or fairly big problem, by ward, {place}, survey wave {latest_wave}",
        source="Residents' survey (weighted; 95% Wilson intervals on the effective sample size)",
    )
    _ = charts.save_and_show(
        fig,
        "03_anti_social_behaviour_perceptions_by_ward",
        f"Chart of the share of residents seeing {asb.STRANDS[top_strand].lower()} as a big problem in each ward, with 95% intervals. "
        + ward_sentence
        + ".",
        ctx.output_dir,
    )
    ward_table = asb.ward_strand_table(survey, lookup, latest_wave, threshold)
    display(
        html_table(
            ward_table,
            formats={c: 0 for c in asb.STRANDS.values()},
            caption=f"% of residents seeing each strand as a very or fairly big problem, by ward, {place}, survey wave {latest_wave}",
            notes=[
                f"Wards with fewer than {threshold} respondents are not shown; small ward samples give wide intervals (see the survey table in the safer communities report).",
                f"[c]: a percentage that stands for fewer than {threshold} of the ward's respondents, not shown to protect privacy.",
            ],
        )
    )
if survey is None:
    display(pc.absent("residents_survey", "residents' perceptions of anti-social behaviour", cfg))

# %%
if len(waves):  # the strand residents name most often, mapped by ward
    map_wave = int(waves["wave"].max())
    map_strand = waves[waves["wave"] == map_wave].set_index("strand")["value"].idxmax()
    _ = maps.survey_ward_map(
        cfg,
        ctx.output_dir,
        survey,
        map_strand,
        what=f"{asb.STRANDS[map_strand]} seen as a big problem",
        name="03_anti_social_behaviour_perceptions",
        source="Residents' survey (weighted; 95% Wilson intervals on the effective sample size)",
        wave=map_wave,
        min_respondents=pc.MIN_RESPONDENTS,
    )

# %% [markdown]
# ## Deliberate fires

# %%
if len(fires):
    wide = fires.pivot(index="year", columns="type", values=["fires", "value", "lower", "upper"])
    fig = yc.interval_chart(
        wide.index,
        {
            kind.capitalize(): (wide[("value", kind)], wide[("lower", kind)], wide[("upper", kind)])
            for kind in ("primary", "secondary")
        },
        title=asb.fires_sentence(fires, cfg.year, threshold, cfg.significance_level)
        .split(";")[0]
        .rstrip("."),
        subtitle=f"Deliberate primary and secondary fires per 10,000 residents, {place}, {period}",
        source="Fire and rescue service incident recording system",
        ylabel="Fires per 10,000 residents",
    )
    _ = charts.save_and_show(
        fig,
        "03_anti_social_behaviour_deliberate_fires",
        "Chart of deliberate primary and secondary fire rates per 10,000 residents by financial year with 95% intervals. "
        + asb.fires_sentence(fires, cfg.year, threshold, cfg.significance_level),
        ctx.output_dir,
    )
    display(
        html_table(
            disclosure.mask_small_counts(
                fires[["year", "type", "fires", "value", "lower", "upper"]].rename(
                    columns={"value": "rate_per_10000"}
                ),
                "fires",
                threshold,
                derived=["rate_per_10000", "lower", "upper"],
            ),
            caption=f"Deliberate fires and rate per 10,000 residents, {place}",
            headers={"rate_per_10000": "Rate per 10,000"},
            formats={"rate_per_10000": 2, "lower": 2, "upper": 2},
            notes=["Lower and upper: 95% interval (Byar's method; exact below 10 fires)."],
        )
    )
elif fire_table is None:
    display(pc.absent("fire_incidents", "deliberate fires", cfg))

# %%
if fire_table is not None and len(fires):
    fires_this_year = asb.in_year(fire_table, cfg.year)
    _ = maps.priority_maps(
        cfg,
        ctx.output_dir,
        fires_this_year[fires_this_year["motive"].astype(str) == "deliberate"],
        what="Deliberate fires",
        name="03_anti_social_behaviour_deliberate_fires",
        source="Fire and rescue service incident recording system",
        count_label="Fires",
        per=10000,
        hotspot=False,
    )

# %% [markdown]
# ## Breaches of behaviour orders and contracts
#
# No dataset supplied to the toolkit records breaches of the orders in use (Criminal Behaviour Orders and civil injunctions, which replaced Anti-Social Behaviour Orders in 2014, and Acceptable Behaviour Contracts). The council's anti-social behaviour unit supplies the breach rates and the analyst enters them; until then the rows below are tbc (to be confirmed).

# %%
breaches = framework[framework["indicator_id"].isin(["ASBO_breach", "ABC_breach"])]
display(
    html_table(
        pf.framework_table(breaches, threshold),
        caption=f"Breach rates of behaviour orders and contracts, {place}, {cfg.year.label}",
        rag_columns="RAG",
    )
)

# %%
concerns = pf.framework_concerns(framework)
worsened = list(concerns["worsened"])
for source, r in by_source.iterrows():
    if r["significant"] and r["after"] > r["before"] and r["before"] >= threshold:
        worsened.append(f"ASB reported to {source} (+{r['change']:.0f}%)")
for _, r in strand_change.iterrows():
    if r["significant"] and r["change"] > 0:
        worsened.append(
            f"{r['label']} seen as a big problem (+{r['change']:.1f} points, {r['before']:.0f}% to {r['after']:.0f}%)"
        )
places = [
    f"{r['ward']} ({r['share']:.0f}% of incidents, {r['value']:.0f} per 1,000)"
    for _, r in wards.head(3).iterrows()
    if r["incidents"] >= threshold
]
if repeats["repeat_locations"] >= max(threshold, 1):
    places.append(
        f"{repeats['repeat_locations']:,} repeat locations ({repeats['minimum']} or more incidents) with {repeats['repeat_share']:.0f}% of located incidents"
    )
times = [asb.season_sentence(season).rstrip(".")] if len(season) else []
findings.implications(
    worsened=worsened, missed_target=concerns["missed_target"], places=places, times=times
)
