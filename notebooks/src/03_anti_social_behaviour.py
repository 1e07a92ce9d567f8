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
from sa_toolkit import findings
from sa_toolkit.analysis import anti_social_behaviour_report as report_sections
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
# ## Performance framework
#
# The anti-social behaviour indicators for the year against the year before. No dataset supplied carries breaches of Criminal Behaviour Orders and civil injunctions (which replaced ASBOs in 2014) or of Acceptable Behaviour Contracts: the analyst enters them, and they show as tbc (to be confirmed) until then.

# %%
show(report_sections.framework_section(report), ctx.output_dir)

# %% [markdown]
# ## Incidents by source and category

# %%
show(report_sections.incidents_by_source(report), ctx.output_dir)

# %% [markdown]
# ## Seasonality

# %%
show(report_sections.seasonality(report), ctx.output_dir)

# %% [markdown]
# ## Hotspots and repeat locations

# %%
show(report_sections.hotspots(report), ctx.output_dir)

# %% [markdown]
# ### Maps
#
# Incidents per 1,000 residents by ward and by LSOA on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where incidents cluster within the partnership.

# %%
show(report_sections.priority_maps(report), ctx.output_dir)

# %% [markdown]
# ## Residents' perceptions

# %%
show(report_sections.perceptions(report), ctx.output_dir)

# %%
show(report_sections.perceptions_map(report), ctx.output_dir)

# %% [markdown]
# ## Deliberate fires

# %%
show(report_sections.deliberate_fires(report), ctx.output_dir)

# %%
show(report_sections.fires_maps(report), ctx.output_dir)

# %% [markdown]
# ## Breaches of behaviour orders and contracts
#
# No dataset supplied to the toolkit records breaches of the orders in use (Criminal Behaviour Orders and civil injunctions, which replaced Anti-Social Behaviour Orders in 2014, and Acceptable Behaviour Contracts). The council's anti-social behaviour unit supplies the breach rates and the analyst enters them; until then the rows below are tbc (to be confirmed).

# %%
show(report_sections.breaches(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
