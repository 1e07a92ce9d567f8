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
from sa_toolkit import findings
from sa_toolkit.analysis import safer_communities_report as report_sections
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
report = report_sections.prepare(ctx)

# %%
findings.show_key_findings(report_sections.key_findings(report))

# %% [markdown]
# ## Performance framework

# %%
show(report_sections.framework_section(report), ctx.output_dir)

# %% [markdown]
# ## Feeling safe during the day and after dark

# %%
show(report_sections.feeling_safe_section(report), ctx.output_dir)

# %%
show(report_sections.feeling_safe_map(report), ctx.output_dir)

# %% [markdown]
# ## Cohesion, satisfaction and confidence

# %%
show(report_sections.cohesion_section(report), ctx.output_dir)

# %% [markdown]
# ## Hate crime by strand

# %%
show(report_sections.hate_crime_section(report), ctx.output_dir)

# %% [markdown]
# ## Fires and fire casualties

# %%
show(report_sections.fires_section(report), ctx.output_dir)

# %% [markdown]
# ## Road casualties: killed or seriously injured

# %%
show(report_sections.road_casualties_section(report), ctx.output_dir)

# %% [markdown]
# ## Population change (context)

# %%
show(report_sections.population_section(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
