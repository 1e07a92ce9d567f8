# %% [markdown]
# # Violent crime
#
# Priority 1: reduce violent crime, including serious violence, robbery, knife and gun crime, domestic abuse and sexual offences. This report compares the assessed financial year with the year before, places the partnership among its Most Similar Group, and shows where, when and against whom violence concentrates.

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
from IPython.display import Markdown, display

from sa_toolkit import charts, disclosure, findings, maps, report_tables
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import violent_crime as vc
from sa_toolkit.analysis.priority_common import absent, coverage_note, not_available
from sa_toolkit.disclosure import suppression_note
from sa_toolkit.geography import place_level
from sa_toolkit.notebook_params import notebook_context

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
data = vc.load(cfg)
place_name, year_label = data.area_name, cfg.year.label
summary = vc.year_summary(data)
framework = vc.framework_rows(data)
peers = vc.peer_funnel(data)
wards = vc.place_table(data, "ward")
lsoas = vc.place_table(data, "lsoa")
conc = vc.concentration_summary(data)
times = vc.temporal(data)
ages = vc.age_profiles(data)
people = vc.shares_and_repeats(data)
_ = findings.show_key_findings(
    vc.key_findings(
        data, summary, framework, peers=peers, conc=conc, wards=wards, times=times, people=people
    )
)

# %% [markdown]
# ## Trends
#
# Monthly recorded offences with their 12-month rolling average, and financial-year totals. Knife and gun crime count offences flagged as involving a knife or sharp instrument, or a firearm; serious violence is homicide, attempted murder and wounding with intent.

# %%
breaks = vc.series_breaks_for_priority(raw_dir=cfg.raw_dir)
note = data.source_note
if data.source != "incidents":
    display(
        absent(
            "crime_incidents",
            vc.NEEDS_INCIDENTS,
            cfg,
            instead=f"Violence and sexual offences and robbery are counted from {vc.SOURCE_POLICE} instead.",
        )
    )
for chart in ("volume", "serious"):
    monthly = vc.monthly_counts(data, chart)
    measures = list(data.measures.index[data.measures["chart"] == chart])
    what = ", ".join(data.measures.loc[measures, "label"].str.lower())
    fig = charts.monthly_trend(
        monthly,
        title=vc.trend_title(summary, measures, year_label, data.threshold),
        subtitle=f"Recorded offences per month, {place_name}, {data.period}",
        source=note,
        breaks=breaks,
    )
    if data.has_comparison:
        totals = "; ".join(
            f"{summary.loc[m, 'label']} {disclosure.safe_count(summary.loc[m, 'previous'], data.threshold)}"
            f" to {disclosure.safe_count(summary.loc[m, 'actual'], data.threshold)}"
            for m in measures
        )
        totals = f"{cfg.year.previous().label} to {year_label}: {totals}"
    else:
        totals = f"{year_label}: " + "; ".join(
            f"{summary.loc[m, 'label']} {disclosure.safe_count(summary.loc[m, 'actual'], data.threshold)}"
            for m in measures
        )
    alt = f"Line chart of monthly recorded {what} in {place_name}, {data.period}, with 12-month averages and financial-year totals. {totals}."
    charts.save_and_show(fig, f"01_violent_crime_trend_{chart}", alt, ctx.output_dir)

# %% [markdown]
# ## Rates per 1,000 residents and change on last year
#
# Rates use the mid-year population estimate of the year's start. The change is tested with an exact test of two Poisson rates (populations allowed for); a small p-value means the change is unlikely to be chance.

# %%
display(coverage_note(data.months_note))
for caveat in data.caveats():
    display(coverage_note(caveat))
if not data.has_comparison and not data.compare.has_previous:
    display(not_available(f"Change on {cfg.year.previous().label}", cfg.year.previous().label))
compared = f"{cfg.year.previous().label} and " if data.has_comparison else ""
display(
    report_tables.html_table(
        vc.summary_display(summary, data),
        caption=f"Violent crime measures, {place_name}, {compared}{year_label}: offences{', change' if data.has_comparison else ''} and rate per 1,000 residents",
        notes=[
            suppression_note(data.threshold),
            f"Source: {note}; ONS mid-year population estimates.",
        ],
    )
)

# %% [markdown]
# ## Most Similar Group
#
# Violence and sexual offences per 1,000 residents in each member of the partnership's Most Similar Group; the funnel shows the range expected by chance around the group's average for an area of each size.

# %%
if peers["own"] is not None:
    own = peers["own"]
    word = {"similar": "within", "worse": "above", "better": "below"}[own["comparison"]]
    fig = charts.funnel_plot(
        peers["points"],
        peers["limits"],
        title=f"{place_name}'s violence rate is {word} the range expected around its peers' average",
        subtitle=f"Violence and sexual offences per 1,000 residents, Most Similar Group, {year_label}",
        source="Home Office recorded crime by Community Safety Partnership (Most Similar Group)",
        average=peers["average"],
        highlight=place_name,
    )
    charts.save_and_show(
        fig,
        "01_violent_crime_funnel",
        "Funnel plot: " + vc.peer_sentence(data, peers),
        ctx.output_dir,
    )
elif not data.msg_supplied:
    display(absent("msg_crime", "the Most Similar Group comparison", cfg))
else:
    display(
        findings.HtmlBlock(
            f"<p>The Most Similar Group table has no violence figures for {year_label}.</p>"
        )
    )

# %% [markdown]
# ## Where violence happens
#
# Violence against the person (with the open police data only: violence and sexual offences) by ward (by MSOA where no ward lookup is supplied) and by LSOA in the assessed year. Rates rank only LSOAs with at least 10 offences, because a rate on a handful of offences is too unstable to rank.

# %%
places = place_level(data.areas)
for table, label in ((wards, places.title), (lsoas, "LSOA")):
    for by, what in (("offences", "most offences"), ("rate", "highest rates")):
        top = vc.top_places(table, by=by)
        if top.empty:
            continue
        display(
            report_tables.html_table(
                vc.places_display(top, data.threshold, place=label, ward=places.title),
                caption=f"{label}s with the {what} of {data.focus_label.lower()}, {place_name}, {year_label}",
                notes=[suppression_note(data.threshold)],
            )
        )

# %%
top5 = conc[conc["measure"] == "share in top 5% of areas"].iloc[0]
counts = lsoas.set_index("place")["offences"]
if counts.sum() > 0:
    half = charts.share_of_places_holding(counts)
    fig = charts.concentration_curve(
        counts,
        title=f"Half of violence happened in {findings.format_percent(half * 100)} of LSOAs; the top 5% held {findings.format_percent(top5['value'] * 100)}",
        subtitle=f"Cumulative share of {data.focus_label.lower()} by LSOA (most affected first), {place_name}, {year_label}",
        source=note,
        place="LSOAs",
    )
    gini = conc.loc[conc["measure"] == "Gini coefficient", "value"].iloc[0]
    charts.save_and_show(
        fig,
        "01_violent_crime_concentration",
        f"Concentration curve: {vc.concentration_sentence(data, conc, wards)} Gini coefficient {gini:.2f}.",
        ctx.output_dir,
    )

# %%
focus = vc.focus_incidents(data)
located = focus[["longitude", "latitude"]].notna().all(axis=1)
if located.sum() >= data.threshold and maps.map_layers(cfg) is None:  # else the maps below
    top_ward = wards.sort_values("offences", ascending=False).iloc[0]
    fig = charts.density_map(
        focus.loc[located, "longitude"],
        focus.loc[located, "latitude"],
        title=f"Violence clusters in {top_ward['place']} ward, with {findings.format_percent(top_ward['share'])} of the partnership's offences",
        subtitle=f"{data.focus_label} per hexagon, {place_name}, {year_label}; hexagons with fewer than {data.threshold} offences not drawn"
        + (
            f"; {int((~located).sum()):,} offences without coordinates not shown"
            if (~located).any()
            else ""
        ),
        labels=vc.ward_label_points(data, wards),
        source=note,
        min_count=data.threshold,
    )
    charts.save_and_show(
        fig,
        "01_violent_crime_density",
        f"Map of hexagonal bins of {data.focus_label.lower()} in {place_name}, {year_label}: the densest cluster is in {top_ward['place']} ward.",
        ctx.output_dir,
    )

# %% [markdown]
# ### Maps
#
# Rates per 1,000 residents by ward and by LSOA on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where offences cluster within the partnership.

# %%
if maps.priority_maps(
    cfg,
    ctx.output_dir,
    focus,
    what=data.focus_label,
    name="01_violent_crime_violence",
    source=data.source_note,
):
    this_year = vc.in_year(data.incidents, cfg.year)
    robbery = data.measures[data.measures["measure"] == "robbery"].iloc[0]
    maps.priority_maps(
        cfg,
        ctx.output_dir,
        this_year[vc.measure_mask(this_year, robbery)],
        what="Robbery",
        name="01_violent_crime_robbery",
        source=data.source_note,
        hotspot=False,
    )

# %% [markdown]
# ## When violence happens
#
# Offences by hour and day of the week. An offence recorded with a start and an end time is shared across the hours between them (aoristic method).

# %%
if times["table"] is not None:
    night = vc.night_sentence(times)
    fig = charts.heat_map(
        times["table"],
        title=f"{findings.format_percent(times['night_share'] * 100)} of violence happened on Friday and Saturday nights, in {findings.format_percent(times['night_hours_share'] * 100)} of the week",
        subtitle=f"Violence against the person by hour and weekday, {place_name}, {year_label}",
        source=note,
    )
    charts.save_and_show(
        fig,
        "01_violent_crime_heat_map",
        "Heat map of offences by hour and weekday. " + night,
        ctx.output_dir,
    )
elif data.source != "incidents":
    display(absent("crime_incidents", "offences by hour and weekday", cfg))

# %% [markdown]
# ## Victims and suspects
#
# Ages of victims and suspects of violence against the person against the residents' age profile. A ratio above 1 means an age group is over-represented; the interval allows for chance.

# %%
if ages["shares"] is not None:
    sentence = vc.age_sentence(ages["ratios"])
    fig = charts.age_profile(
        ages["shares"],
        title=sentence.rstrip(".").split(";")[0],
        subtitle=f"Share of victims, suspects and residents by age, violence against the person, {place_name}, {year_label}",
        source=f"{note}; ONS mid-year population estimates",
    )
    charts.save_and_show(
        fig,
        "01_violent_crime_ages",
        "Bar chart of the age profile of victims and suspects against residents. " + sentence,
        ctx.output_dir,
    )
    display(
        report_tables.html_table(
            vc.ratios_display(ages["ratios"], data.threshold),
            caption=f"Over-representation of age groups among victims and suspects of violence, {place_name}, {year_label}",
            notes=[
                suppression_note(data.threshold),
                "Ratio: the group's share of victims (or suspects) divided by its share of residents.",
            ],
        )
    )
elif data.source != "incidents":
    display(absent("crime_incidents", "the ages of victims and suspects", cfg))
elif ages.get("missing"):
    display(Markdown(ages["missing"]))

# %% [markdown]
# ## Domestic abuse, repeat victimisation and alcohol
#
# Shares of violence against the person flagged as domestic abuse or alcohol-related, with last year's share, and the share of domestic abuse victims who were victims more than once in the year (identified victims only).

# %%
if not people.empty:
    display(
        report_tables.html_table(
            vc.people_display(people, data),
            caption=f"Domestic abuse, repeat victimisation and alcohol-related violence, {place_name}, {year_label}",
            notes=[
                suppression_note(data.threshold),
                "Intervals: Wilson score; change in a share tested with a two-sided z test.",
            ],
        )
    )
elif data.source != "incidents":
    display(
        absent(
            "crime_incidents",
            "domestic abuse, repeat victimisation and alcohol-related violence",
            cfg,
        )
    )

# %% [markdown]
# ## Performance framework
#
# The violent crime rows of the performance framework, computed from the data: each traffic light comes with its reason.

# %%
if not framework.empty:
    display(
        report_tables.html_table(
            vc.framework_display(framework),
            caption=f"Violent crime performance framework, {cfg.year.previous().label} to {year_label}",
            rag_columns="Traffic light",
            notes=pf.methods_notes(cfg),
        )
    )

# %%
display(findings.implications(**vc.implications(data, summary, framework, wards, times)))
