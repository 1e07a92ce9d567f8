# %% [markdown]
# # Youth crime
#
# Priority 2: reduce crime committed by and against young people. Police open data record no ages, so this report starts from robbery and theft from the person, the offences in which young people are most often victims and suspects.

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
from sa_toolkit import charts, findings
from sa_toolkit.notebook_params import monthly_crime_counts, notebook_context

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
previous = cfg.year.previous()
monthly = monthly_crime_counts(cfg, ["Robbery", "Theft from the person"])
this_year = int(monthly.loc[cfg.year.months].to_numpy().sum())
last_year = int(monthly.loc[previous.months].to_numpy().sum())

# %%
by_type = monthly.loc[cfg.year.months].sum().sort_values(ascending=False)
sentences = [
    findings.change_sentence("Robbery and theft from the person", last_year, this_year).rstrip(".")
    + f" between {previous.label} and {cfg.year.label}.",
]
if len(by_type) > 1 and this_year:
    sentences.append(
        f"{by_type.index[0]} made up {findings.format_percent(by_type.iloc[0] / this_year * 100)}"
        f" of these offences in {cfg.year.label} ({by_type.iloc[0]:,} of {this_year:,})."
    )
findings.show_key_findings(sentences)
# %% [markdown]
# ## Trend

# %%
pct = findings.percent_change(last_year, this_year) if last_year else None
if pct is None or round(pct) == 0:
    title = f"Robbery and theft from the person was about level in {cfg.year.label}"
else:
    direction = "rose" if pct > 0 else "fell"
    title = f"Robbery and theft from the person {direction} {findings.format_percent(abs(pct))} in {cfg.year.label}"
first, last = monthly.index[0], monthly.index[-1]
period = f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')}"
fig = charts.monthly_trend(
    monthly,
    title=title,
    subtitle=f"Recorded offences per month, {cfg.partnership_short_name}, {period}",
    source="data.police.uk street-level crime",
)
alt = (
    f"Line chart of monthly recorded robbery and theft from the person in {cfg.partnership_short_name}, {period}, "
    f"with 12-month averages and financial-year totals: {this_year:,} offences in "
    f"{cfg.year.label} against {last_year:,} in {previous.label}."
)
charts.save_and_show(fig, "02_youth_crime_trend", alt, ctx.output_dir)
