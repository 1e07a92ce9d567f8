# %% [markdown]
# # Overview
#
# The partnership's performance across all six priorities, its position among its Most Similar Group of partnerships, the trend, mix and cost of recorded crime, and a priority-setting matrix to inform the rolling plan.

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
from sa_toolkit.analysis import overview_report as report_sections
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
# Every priority's indicators: the previous year (baseline) against the assessment year, the change, and a traffic light with its reason (the rule is in the notes below the table).

# %%
show(report_sections.framework_section(report), ctx.output_dir)

# %% [markdown]
# ## Most Similar Group comparison
#
# Rank 1 is the highest rate in the group (the worst). "Just above" or "just below" means the difference from the group average is within the partnership's 95% confidence interval.

# %%
show(report_sections.msg_section(report), ctx.output_dir)

# %% [markdown]
# ## Recorded crime: trend and mix

# %%
show(report_sections.trend_section(report), ctx.output_dir)

# %% [markdown]
# ## Cost of crime
#
# Recorded offences multiplied by the Home Office estimate of the economic and social cost of one offence, uplifted to this year's prices by the GDP deflator. Offence types without a Home Office unit cost are not counted, so the totals are a lower bound.

# %%
show(report_sections.cost_section(report), ctx.output_dir)

# %% [markdown]
# ## Priority-setting matrix
#
# Each crime type and anti-social behaviour scores 1 (low) to 3 (high) on volume, harm, trend and peer position; the average of the dimensions that can be measured suggests its priority (the key is below the table).

# %%
show(report_sections.matrix_section(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)

# %% [markdown]
# ## About the data: geography

# %%
show(report_sections.geography_section(report), ctx.output_dir)
