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
from sa_toolkit import findings
from sa_toolkit.analysis import youth_crime_report as report_sections
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
#
# The youth crime indicators for the year against the year before. Indicators that no dataset supplied carries are shown as tbc (to be confirmed) until the analyst enters them.

# %%
show(report_sections.framework_section(report), ctx.output_dir)

# %% [markdown]
# ## Young victims and suspects

# %%
show(report_sections.young_victims(report), ctx.output_dir)

# %% [markdown]
# ## Serious youth violence

# %%
show(report_sections.serious_violence(report), ctx.output_dir)

# %% [markdown]
# ## First-time entrants to the youth justice system

# %%
show(report_sections.first_time_entrants(report), ctx.output_dir)

# %% [markdown]
# ## The after-school peak

# %%
show(report_sections.after_school_peak(report), ctx.output_dir)

# %% [markdown]
# ## Youth robbery

# %%
show(report_sections.youth_robbery(report), ctx.output_dir)

# %% [markdown]
# ## Young offenders: re-offending, employment and accommodation

# %%
show(report_sections.young_offenders(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
