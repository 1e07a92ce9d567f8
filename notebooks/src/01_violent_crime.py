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
from sa_toolkit import findings
from sa_toolkit.analysis import violent_crime_report as report_sections
from sa_toolkit.analysis.sections import show
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
report = report_sections.prepare(ctx)  # reads the data once: one object the sections share

# %%
findings.show_key_findings(report_sections.key_findings(report))

# %% [markdown]
# ## Trends
#
# Monthly recorded offences with their 12-month rolling average, and financial-year totals. Knife and gun crime count offences flagged as involving a knife or sharp instrument, or a firearm; serious violence is homicide, attempted murder and wounding with intent.

# %%
show(report_sections.trends(report), ctx.output_dir)

# %% [markdown]
# ## Rates per 1,000 residents and change on last year
#
# Rates use the mid-year population estimate of the year's start. The change is tested with an exact test of two Poisson rates (populations allowed for); a small p-value means the change is unlikely to be chance.

# %%
show(report_sections.rates(report), ctx.output_dir)

# %% [markdown]
# ## Most Similar Group
#
# Violence and sexual offences per 1,000 residents in each member of the partnership's Most Similar Group; the funnel shows the range expected by chance around the group's average for an area of each size.

# %%
show(report_sections.most_similar_group(report), ctx.output_dir)

# %% [markdown]
# ## Where violence happens
#
# Violence against the person (with the open police data only: violence and sexual offences) by ward (by MSOA where no ward lookup is supplied) and by LSOA in the assessed year. Rates rank only LSOAs with at least 10 offences, because a rate on a handful of offences is too unstable to rank.

# %%
show(report_sections.hotspot_tables(report), ctx.output_dir)

# %%
show(report_sections.concentration(report), ctx.output_dir)

# %%
show(report_sections.density(report), ctx.output_dir)

# %% [markdown]
# ### Maps
#
# Rates per 1,000 residents by ward and by LSOA on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where offences cluster within the partnership.

# %%
show(report_sections.area_maps(report), ctx.output_dir)

# %% [markdown]
# ## When violence happens
#
# Offences by hour and day of the week. An offence recorded with a start and an end time is shared across the hours between them (aoristic method).

# %%
show(report_sections.when(report), ctx.output_dir)

# %% [markdown]
# ## Victims and suspects
#
# Ages of victims and suspects of violence against the person against the residents' age profile. A ratio above 1 means an age group is over-represented; the interval allows for chance.

# %%
show(report_sections.victims_and_suspects(report), ctx.output_dir)

# %% [markdown]
# ## Domestic abuse, repeat victimisation and alcohol
#
# Shares of violence against the person flagged as domestic abuse or alcohol-related, with last year's share, and the share of domestic abuse victims who were victims more than once in the year (identified victims only).

# %%
show(report_sections.domestic_abuse(report), ctx.output_dir)

# %% [markdown]
# ## Performance framework
#
# The violent crime rows of the performance framework, computed from the data: each traffic light comes with its reason.

# %%
show(report_sections.framework_section(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
