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
from sa_toolkit import findings
from sa_toolkit.analysis import reoffending_report as report_sections
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
# ## Proven re-offending by cohort

# %%
show(report_sections.cohort_section(report), ctx.output_dir)

# %% [markdown]
# ## Probation: employment and accommodation at the end of orders

# %%
show(report_sections.probation_section(report), ctx.output_dir)

# %% [markdown]
# ## Age profile of suspects

# %%
show(report_sections.age_profile_section(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
