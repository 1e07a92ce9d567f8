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
from sa_toolkit import findings
from sa_toolkit.analysis import drugs_alcohol_report as report_sections
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
# ## Drug offences: possession and supply

# %%
show(report_sections.drug_offences_section(report), ctx.output_dir)

# %% [markdown]
# ### Maps of drug offences
#
# Drug offences recorded by the police (data.police.uk "Drugs") per 1,000 residents by ward and by LSOA, on the partnership's own boundaries, with the areas significantly above the partnership rate outlined (beyond the 99.8% limit of a funnel that allows for the extra variation between areas), and where they cluster. Drug offences are found mostly by police activity, so a high rate shows where the police found drugs as much as where drugs are.

# %%
show(report_sections.drug_offence_maps(report), ctx.output_dir)

# %% [markdown]
# ## Stop and search for drugs

# %%
show(report_sections.stop_and_search_section(report), ctx.output_dir)

# %% [markdown]
# ## Treatment: numbers, penetration and successful completions

# %%
show(report_sections.treatment_section(report), ctx.output_dir)

# %% [markdown]
# ## Alcohol-related violence and the night-time economy

# %%
show(report_sections.alcohol_violence_section(report), ctx.output_dir)

# %% [markdown]
# ## Alcohol-related hospital admissions

# %%
show(report_sections.admissions_section(report), ctx.output_dir)

# %% [markdown]
# ## Perceptions of drunk or rowdy behaviour and of drug use or dealing

# %%
show(report_sections.perceptions_section(report), ctx.output_dir)

# %%
show(report_sections.recommendations(report), ctx.output_dir)
