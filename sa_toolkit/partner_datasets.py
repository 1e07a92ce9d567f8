"""Declared schemas of the partner extracts (``data/raw/partner/<dataset>.csv``).

Each :class:`PartnerDataset` declares its columns (type, allowed values, range, meaning) and
its cross-column rules; the answer scales and questions of the residents' survey are here
too. Nothing here needs polars, so a report reads these declarations without importing the
ingest engine: :mod:`sa_toolkit.ingest.partner` turns each declaration into the engine's
:class:`~sa_toolkit.ingest.spec.DatasetSpec` (vectorised polars checks). The templates in
``data/templates/`` and ``docs/data_templates.md`` document the same declarations (a test
keeps them in step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


# data.police.uk crime categories (current labels) other than anti-social behaviour
POLICE_CRIME_TYPES = (
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
# ONS police recorded crime offence groups
OFFENCE_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Theft offences",
    "Criminal damage and arson",
    "Drug offences",
    "Possession of weapons offences",
    "Public order offences",
    "Miscellaneous crimes against society",
)
HATE_STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender")
SEXES = ("F", "M", "X")  # X: other / not stated
ASB_SUBCATEGORIES = (
    "Rowdy or nuisance behaviour",
    "Noise",
    "Neighbour dispute",
    "Street drinking",
    "Drug-related",
    "Begging",
    "Vehicle nuisance",
    "Fly-tipping",
    "Graffiti",
    "Litter",
    "Abandoned vehicle",
    "Fireworks",
    "Other",
)
SURVEY_AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
ESP_AGE_BANDS = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)

PROBLEM_SCALE = (
    "Very big problem",
    "Fairly big problem",
    "Not a very big problem",
    "Not a problem at all",
    "Don't know",
)
SAFETY_SCALE = (
    "Very safe",
    "Fairly safe",
    "Neither safe nor unsafe",
    "Fairly unsafe",
    "Very unsafe",
    "Don't know",
)
AGREE4_SCALE = (
    "Definitely agree",
    "Tend to agree",
    "Tend to disagree",
    "Definitely disagree",
    "Don't know",
    "Too few people in local area",
    "All same background",
)
AGREE5_SCALE = (
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
    "Don't know",
)
SATISFACTION_SCALE = (
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
    "Don't know",
)
#: Survey questions: column -> (answer scale, answers counted as the indicator's "yes")
SURVEY_QUESTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "asb_noisy_neighbours": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_teenagers_hanging_around": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_rubbish_litter": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_vandalism_graffiti": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_drug_use_dealing": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_drunk_rowdy": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "asb_abandoned_vehicles": (PROBLEM_SCALE, PROBLEM_SCALE[:2]),
    "safe_day": (SAFETY_SCALE, SAFETY_SCALE[:2]),
    "safe_after_dark": (SAFETY_SCALE, SAFETY_SCALE[:2]),
    "different_backgrounds_get_on": (AGREE4_SCALE, AGREE4_SCALE[:2]),
    "satisfied_with_area": (SATISFACTION_SCALE, SATISFACTION_SCALE[:2]),
    "police_council_deal_with_asb": (AGREE5_SCALE, AGREE5_SCALE[:2]),
    "parents_take_responsibility": (AGREE5_SCALE, AGREE5_SCALE[:2]),
}
SURVEY_QUESTION_TEXT = {
    "asb_noisy_neighbours": "How much of a problem are noisy neighbours or loud parties?",
    "asb_teenagers_hanging_around": "... teenagers hanging around on the streets?",
    "asb_rubbish_litter": "... rubbish or litter lying around?",
    "asb_vandalism_graffiti": "... vandalism, graffiti and other deliberate damage to property or vehicles?",
    "asb_drug_use_dealing": "... people using or dealing drugs? (NI 42)",
    "asb_drunk_rowdy": "... people being drunk or rowdy in public places? (NI 41)",
    "asb_abandoned_vehicles": "... abandoned or burnt out cars?",
    "safe_day": "How safe or unsafe do you feel when outside in your local area during the day?",
    "safe_after_dark": "How safe or unsafe do you feel when outside in your local area after dark?",
    "different_backgrounds_get_on": "Your local area is a place where people from different "
    "backgrounds get on well together (NI 1)",
    "satisfied_with_area": "How satisfied or dissatisfied are you with your local area as a place "
    "to live?",
    "police_council_deal_with_asb": "The police and other local public services are successfully "
    "dealing with anti-social behaviour and crime in your local area (NI 21)",
    "parents_take_responsibility": "Parents in your local area take enough responsibility for the "
    "behaviour of their children (NI 22)",
}

_CODE_RE = r"^[A-Z][0-9]{8}$"
# Great Britain bounding box, as the police data checks it
_LON_RANGE = (-8.75, 1.90)
_LAT_RANGE = (49.80, 60.95)

KINDS = {
    "id": "text (a unique identifier)",
    "text": "text",
    "code": "ONS-style code: a capital letter and 8 digits",
    "category": "one of the allowed values",
    "multi": "allowed values separated by ';'",
    "flag": "Y or N",
    "int": "whole number",
    "number": "number",
    "datetime": "date and time YYYY-MM-DD HH:MM (or DD/MM/YYYY HH:MM)",
    "date": "date YYYY-MM-DD (or DD/MM/YYYY)",
    "month": "month YYYY-MM",
    "quarter": "calendar quarter YYYYQn, e.g. 2024Q1 (January to March 2024)",
    "financial_year": "financial year YYYY/YY, e.g. 2024/25",
    "longitude": "decimal degrees (WGS84), within Great Britain",
    "latitude": "decimal degrees (WGS84), within Great Britain",
}


@dataclass(frozen=True)
class Column:
    """One template column.

    ``required`` columns may not be blank; ``allowed`` lists a category's values;
    ``minimum``/``maximum`` bound numbers (and years); ``unique`` values may not repeat.
    """

    name: str
    kind: str
    meaning: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False

    def describe_type(self) -> str:
        text = KINDS[self.kind]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            text += f" >= {self.minimum:g}"
        return text + ("" if self.required else "; blank if unknown")


@dataclass(frozen=True)
class Rule:
    """A cross-column rule: ``bad(v)`` is a polars expression true for rows that break it.

    ``v(name)`` gives the typed value of a column (null when blank).
    """

    column: str
    reason: str
    bad: Callable[[Callable[[str], pl.Expr]], pl.Expr]


@dataclass(frozen=True)
class PartnerDataset:
    """A partner extract: raw ``partner/<name>.csv`` -> processed table ``<name>``."""

    name: str
    title: str
    description: str
    source: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()
    #: column whose month becomes the processed ``month`` column (event tables)
    month_from: str | None = None
    #: columns that together identify a row (duplicates are rejected)
    key: tuple[str, ...] = ()
    #: the toolkit ships a default (sa_toolkit/data/<name>.csv) this file replaces
    overrides_default: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def raw_path(self) -> str:
        return f"partner/{self.name}.csv"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _flag(name: str, meaning: str) -> Column:
    return Column(name, "flag", meaning)


def _count(name: str, meaning: str) -> Column:
    return Column(name, "int", meaning, minimum=0)


def _lsoa(required: bool) -> Column:
    return Column(
        "lsoa_code",
        "code",
        "LSOA (2021) of the location"
        + ("" if required else "; blank when the location is unknown (kept)"),
        required=required,
    )


def _area() -> Column:
    return Column("area_code", "code", "Partnership (CSP) or local authority code of the figures")


def _exceeds(a: str, b: str) -> Callable[[Callable[[str], pl.Expr]], pl.Expr]:
    """Rule: rows where column ``a`` exceeds column ``b`` (both present)."""
    return lambda v: v(a) > v(b)


_LOCATION = (
    Column("longitude", "longitude", "Longitude of the (snapped) location", required=False),
    Column("latitude", "latitude", "Latitude of the (snapped) location", required=False),
)

CRIME_INCIDENTS = PartnerDataset(
    name="crime_incidents",
    title="Crime incident extract",
    description=(
        "One row per recorded crime from the force's crime recording system, with what the "
        "open data leaves out: offence times (for aoristic analysis), Home Office offence code, "
        "flags, a pseudonymous victim id and victim and suspect ages. Anti-social behaviour is "
        "not a crime and is in `asb_incidents`. Counts by month of `recorded_date`, LSOA and "
        "`crime_type` match the data.police.uk street-level file for the same force area."
    ),
    source="Police force crime recording system (e.g. Niche, Athena, CRIS) extract shared "
    "under the information-sharing agreement; usually by the force's partnership analyst.",
    columns=(
        Column("incident_id", "id", "Crime reference number", unique=True),
        Column("recorded_date", "date", "Date the crime was recorded"),
        Column("offence_start", "datetime", "Earliest time the offence may have happened"),
        Column(
            "offence_end",
            "datetime",
            "Latest time the offence may have happened (same as start when known exactly)",
        ),
        Column("offence_code", "text", "Home Office Counting Rules offence code, e.g. 8N, 105A"),
        Column("offence_description", "text", "Home Office offence description", required=False),
        Column("offence_group", "category", "ONS offence group", allowed=OFFENCE_GROUPS),
        Column(
            "crime_type",
            "category",
            "data.police.uk crime category the offence is published under",
            allowed=POLICE_CRIME_TYPES,
        ),
        _lsoa(required=False),
        *_LOCATION,
        _flag("domestic_abuse", "Flagged as domestic abuse"),
        _flag("alcohol_related", "Flagged as alcohol-related"),
        _flag("knife_or_sharp_instrument", "Knife or sharp instrument used or threatened"),
        _flag("firearm", "Firearm used or threatened"),
        _flag("gang_related", "Flagged as gang-related"),
        _flag("hate_crime", "Flagged as a hate crime"),
        Column(
            "hate_crime_strand",
            "multi",
            "Monitored strand(s) of a hate crime; blank when not a hate crime",
            required=False,
            allowed=HATE_STRANDS,
        ),
        _flag(
            "serious_youth_violence",
            "Serious youth violence: most serious violence (with injury, robbery, weapon) "
            "against a victim aged 1 to 19",
        ),
        Column(
            "victim_id",
            "text",
            "Pseudonymous victim identifier, stable across incidents (for repeat victimisation);"
            " blank when there is no individual victim (e.g. drugs, shoplifting)",
            required=False,
        ),
        Column("victim_age", "int", "Victim's age at the offence", False, (), 0, 110),
        Column("victim_sex", "category", "Victim's sex", False, SEXES),
        Column("suspect_age", "int", "Suspect's age, where a suspect is known", False, (), 5, 110),
        Column("suspect_sex", "category", "Suspect's sex, where known", False, SEXES),
    ),
    rules=(
        Rule(
            "offence_end",
            "offence end is before offence start",
            _exceeds("offence_start", "offence_end"),
        ),
        Rule(
            "offence_start",
            "offence starts after the date it was recorded",
            lambda v: v("offence_start").dt.date() > v("recorded_date"),
        ),
        Rule(
            "hate_crime_strand",
            "a hate crime needs its strand (and a strand needs the hate crime flag)",
            lambda v: v("hate_crime") != v("hate_crime_strand").is_not_null(),
        ),
    ),
    month_from="recorded_date",
)

ASB_INCIDENTS = PartnerDataset(
    name="asb_incidents",
    title="Anti-social behaviour incidents",
    description=(
        "One row per anti-social behaviour incident reported to the police, the council or a "
        "housing provider. Police rows are the incidents data.police.uk publishes as "
        "'Anti-social behaviour'; council and housing rows add what the police never hear of."
    ),
    source="Police command and control system; council ASB / environmental services case "
    "system; registered housing providers' ASB logs.",
    columns=(
        Column("incident_id", "id", "Incident reference, unique across sources", unique=True),
        Column("source", "category", "Who recorded it", allowed=("police", "council", "housing")),
        Column(
            "category",
            "category",
            "National Standard for Incident Recording category",
            allowed=("personal", "nuisance", "environmental"),
        ),
        Column("subcategory", "category", "Local subcategory", False, ASB_SUBCATEGORIES),
        Column("incident_datetime", "datetime", "When it happened (or was reported)"),
        _lsoa(required=False),
        Column(
            "location",
            "text",
            "Street or place (e.g. 'On or near Station Road'), for repeat locations",
            required=False,
        ),
        *_LOCATION,
    ),
    month_from="incident_datetime",
)

_survey_cols = [
    Column("respondent_id", "id", "Respondent identifier (unique within a wave)"),
    Column("wave", "int", "Survey wave: the fieldwork year", minimum=2000, maximum=2100),
    Column(
        "weight",
        "number",
        "Survey weight (calibrated to the population; weights sum to the respondents or "
        "to the population)",
        minimum=1e-9,
    ),
    Column("ward_code", "code", "Ward the respondent lives in"),
    Column("age_band", "category", "Respondent's age band", allowed=SURVEY_AGE_BANDS),
    Column("sex", "category", "Respondent's sex", allowed=SEXES),
]
for _q, (_scale, _yes) in SURVEY_QUESTIONS.items():
    _survey_cols.append(
        Column(
            _q,
            "category",
            SURVEY_QUESTION_TEXT[_q] + "; blank if not asked or not answered",
            required=False,
            allowed=_scale,
        )
    )

RESIDENTS_SURVEY = PartnerDataset(
    name="residents_survey",
    title="Residents' survey microdata",
    description=(
        "One row per respondent of the residents' (Place-survey style) perception survey, "
        "repeated in waves. Percentages are weighted; their intervals use the Kish effective "
        "sample size. 'Don't know' answers are left out of the base, as in the Place Survey "
        "national indicator definitions."
    ),
    source="Council consultation team or its survey contractor (Place Survey, residents' "
    "survey, 'Your Borough' panel).",
    columns=tuple(_survey_cols),
    key=("wave", "respondent_id"),
)

_SUBSTANCE = ("opiate", "non_opiate", "alcohol", "non_opiate_and_alcohol")
TREATMENT_MONTHLY = PartnerDataset(
    name="treatment_monthly",
    title="Drug and alcohol treatment (monthly)",
    description=(
        "NDTMS-style monthly activity of adult drug and alcohol treatment services: adults "
        "in treatment in the month, those in effective treatment (retained 12 weeks or "
        "completed), successful completions and new presentations, by substance group."
    ),
    source="National Drug Treatment Monitoring System (NDTMS) partnership reports "
    "(ndtms.net), via the local treatment commissioner.",
    columns=(
        _area(),
        Column("month", "month", "Month of the figures"),
        Column("substance_group", "category", "NDTMS substance group", allowed=_SUBSTANCE),
        _count("in_treatment", "Adults in treatment during the month"),
        _count("in_effective_treatment", "Of whom in effective treatment"),
        _count("successful_completions", "Successful completions (free of dependence)"),
        _count("new_presentations", "New presentations to treatment"),
    ),
    rules=(
        Rule(
            "in_effective_treatment",
            "more clients in effective treatment than in treatment",
            _exceeds("in_effective_treatment", "in_treatment"),
        ),
    ),
    key=("area_code", "month", "substance_group"),
)

DRUG_PREVALENCE = PartnerDataset(
    name="drug_prevalence",
    title="Prevalence of problematic drug use",
    description=(
        "Estimated number of opiate and/or crack cocaine users (OCUs) aged 15-64, with its "
        "95% interval: the denominator of treatment penetration (unmet need)."
    ),
    source="Home Office / OHID estimates of the prevalence of opiate and crack cocaine use "
    "(Liverpool John Moores University).",
    columns=(
        _area(),
        Column("financial_year", "financial_year", "Year of the estimate"),
        Column(
            "drug_group",
            "category",
            "Drug group estimated",
            allowed=("opiate_and_crack", "opiate", "crack"),
        ),
        Column("age_range", "text", "Age range covered, e.g. 15-64"),
        Column("estimate", "number", "Estimated number of users", minimum=0),
        Column("lower", "number", "Lower limit of the 95% interval", minimum=0),
        Column("upper", "number", "Upper limit of the 95% interval", minimum=0),
        Column("source", "text", "Publication the estimate comes from", required=False),
    ),
    rules=(
        Rule("lower", "lower limit above the estimate", _exceeds("lower", "estimate")),
        Rule("upper", "upper limit below the estimate", _exceeds("estimate", "upper")),
    ),
    key=("area_code", "financial_year", "drug_group", "age_range"),
)

REOFFENDING = PartnerDataset(
    name="reoffending",
    title="Proven re-offending",
    description=(
        "Ministry of Justice proven re-offending by quarterly cohort: offenders released from "
        "custody, given a non-custodial conviction, caution or reprimand in the quarter, and "
        "those who committed a proven re-offence within one year (plus six months to be "
        "proven)."
    ),
    source="Ministry of Justice, Proven reoffending statistics (local authority tables); "
    "prolific and priority offender figures from the local IOM scheme.",
    columns=(
        _area(),
        Column("cohort_quarter", "quarter", "Quarter in which the cohort offended or was released"),
        Column(
            "cohort", "category", "Adult (18+) or juvenile (10-17)", allowed=("adult", "juvenile")
        ),
        _flag(
            "ppo",
            "Y: the prolific and priority offender (IOM) cohort, a subset of the all-offender row (N) of the same quarter and cohort; do not add the two",
        ),
        _count("offenders", "Offenders in the cohort"),
        _count("reoffenders", "Of whom proven re-offenders"),
        _count("reoffences", "Proven re-offences they committed"),
    ),
    rules=(
        Rule(
            "reoffenders", "more re-offenders than offenders", _exceeds("reoffenders", "offenders")
        ),
        Rule(
            "reoffences",
            "fewer re-offences than re-offenders",
            _exceeds("reoffenders", "reoffences"),
        ),
    ),
    key=("area_code", "cohort_quarter", "cohort", "ppo"),
)

YOUTH_FTE = PartnerDataset(
    name="youth_first_time_entrants",
    title="Youth justice first-time entrants",
    description=(
        "Young people aged 10-17 receiving their first reprimand, warning, caution or "
        "conviction, by quarter, with the 10-17 population (rate per 100,000)."
    ),
    source="Youth Justice Board / MoJ first-time entrants (PNC), via the Youth Offending Team.",
    columns=(
        _area(),
        Column("quarter", "quarter", "Quarter"),
        _count("first_time_entrants", "First-time entrants aged 10-17"),
        Column("population_10_17", "int", "Residents aged 10-17 (mid-year estimate)", minimum=1),
    ),
    key=("area_code", "quarter"),
)

PROBATION_OUTCOMES = PartnerDataset(
    name="probation_outcomes",
    title="Probation outcomes",
    description=(
        "Offenders ending a community order, suspended sentence order or licence in the "
        "quarter, and of those how many were in employment and in settled and suitable "
        "accommodation at the end."
    ),
    source="Probation Service performance data (Community Performance Quarterly), via the "
    "local probation delivery unit.",
    columns=(
        _area(),
        Column("quarter", "quarter", "Quarter the orders or licences ended"),
        Column(
            "order_type",
            "category",
            "Type of supervision ended",
            allowed=("community_order", "suspended_sentence_order", "licence"),
        ),
        Column("age_group", "category", "Age at termination", allowed=("18-24", "25+")),
        _count("terminations", "Orders or licences ended"),
        _count("in_employment", "Of which the offender was in employment at the end"),
        _count("in_settled_accommodation", "Of which in settled and suitable accommodation"),
    ),
    rules=(
        Rule(
            "in_employment",
            "more in employment than ended",
            _exceeds("in_employment", "terminations"),
        ),
        Rule(
            "in_settled_accommodation",
            "more in settled accommodation than ended",
            _exceeds("in_settled_accommodation", "terminations"),
        ),
    ),
    key=("area_code", "quarter", "order_type", "age_group"),
)

FIRE_INCIDENTS = PartnerDataset(
    name="fire_incidents",
    title="Fire incidents",
    description=(
        "One row per fire attended by the fire and rescue service. Primary fires involve "
        "property, casualties or five or more appliances; secondary fires are small outdoor "
        "fires (refuse, grassland, derelict property). Deliberate secondary fires are a "
        "classic anti-social behaviour indicator."
    ),
    source="Fire and rescue service Incident Recording System (IRS) extract.",
    columns=(
        Column("incident_id", "id", "IRS incident number", unique=True),
        Column("incident_datetime", "datetime", "Time of call"),
        Column(
            "incident_type",
            "category",
            "Primary or secondary fire",
            allowed=("primary", "secondary"),
        ),
        Column(
            "property_type",
            "category",
            "What burned",
            allowed=(
                "dwelling",
                "other_building",
                "road_vehicle",
                "outdoor",
                "refuse",
                "grassland",
                "other",
            ),
        ),
        Column("motive", "category", "Cause", allowed=("deliberate", "accidental", "not_known")),
        _count("casualties", "Non-fatal casualties"),
        _count("fatalities", "Fatalities"),
        _lsoa(required=True),
        *_LOCATION,
    ),
    month_from="incident_datetime",
)

ALCOHOL_ADMISSIONS = PartnerDataset(
    name="alcohol_admissions",
    title="Alcohol-related hospital admissions",
    description=(
        "Admissions to hospital where the primary diagnosis or an external cause is wholly or "
        "partly attributable to alcohol (narrow measure), by sex and five-year age band, with "
        "the resident population, for directly standardised rates per 100,000 (European "
        "Standard Population 2013)."
    ),
    source="OHID Local Alcohol Profiles / Hospital Episode Statistics, via public health.",
    columns=(
        _area(),
        Column("financial_year", "financial_year", "Year of admission"),
        Column("sex", "category", "Sex", allowed=("F", "M")),
        Column("age_band", "category", "Five-year age band (ESP 2013)", allowed=ESP_AGE_BANDS),
        _count("admissions", "Admissions"),
        Column("population", "int", "Resident population (mid-year estimate)", minimum=1),
    ),
    rules=(
        Rule("admissions", "more admissions than residents", _exceeds("admissions", "population")),
    ),
    key=("area_code", "financial_year", "sex", "age_band"),
)

ROAD_CASUALTIES = PartnerDataset(
    name="road_casualties",
    title="Road casualties",
    description=(
        "Reported road casualties by calendar year, severity, age group and road user: killed "
        "or seriously injured (KSI) is fatal plus serious; children are aged 0-15."
    ),
    source="Department for Transport STATS19, via the highway authority's road safety team.",
    columns=(
        _area(),
        Column("year", "int", "Calendar year", minimum=1979, maximum=2100),
        Column("severity", "category", "Casualty severity", allowed=("fatal", "serious", "slight")),
        Column(
            "age_group",
            "category",
            "Child (0-15) or adult (16+)",
            allowed=("child", "adult", "unknown"),
        ),
        Column(
            "road_user",
            "category",
            "Casualty's road user type",
            allowed=("pedestrian", "pedal_cyclist", "motorcyclist", "car_occupant", "other"),
        ),
        _count("casualties", "Casualties"),
    ),
    key=("area_code", "year", "severity", "age_group", "road_user"),
)

UNIT_COSTS = PartnerDataset(
    name="unit_costs",
    title="Unit costs of crime",
    description=(
        "Cost per offence (anticipation, consequence and response) by offence, with its price "
        "year and source, for the cost of crime. The toolkit ships a default "
        "(`sa_toolkit/data/unit_costs.csv`, Home Office Research Report 99); a partner file "
        "with the same columns replaces it. `police_uk_crime_type` names the data.police.uk "
        "category the cost applies to when costing police open data (blank: not used for it)."
    ),
    source="Home Office, The economic and social costs of crime (Heeks et al. 2018), or a "
    "local update.",
    columns=(
        Column("offence", "text", "Offence as the source names it", unique=True),
        Column("unit_cost", "number", "Cost per offence in pounds", minimum=0),
        Column("price_year", "financial_year", "Financial year of the prices"),
        Column(
            "police_uk_crime_type",
            "category",
            "data.police.uk crime category costed with this offence",
            required=False,
            allowed=POLICE_CRIME_TYPES + ("Anti-social behaviour",),
        ),
        Column("source", "text", "Publication and table the cost comes from"),
        Column("note", "text", "Assumptions or caveats", required=False),
    ),
    overrides_default=True,
)

DEFLATORS = PartnerDataset(
    name="deflators",
    title="Price deflator series",
    description=(
        "GDP deflator index by financial year, to uplift unit costs to the assessment year's "
        "prices (cost x index(year) / index(price year)). The toolkit ships a default "
        "(`sa_toolkit/data/deflators.csv`, HM Treasury); a partner file with the same "
        "columns replaces it."
    ),
    source="HM Treasury, GDP deflators at market prices and money GDP (quarterly release).",
    columns=(
        Column("financial_year", "financial_year", "Financial year", unique=True),
        Column("gdp_deflator", "number", "Index (any base year, e.g. 2023-24 = 100)", minimum=1e-9),
        Column("source", "text", "Release the index comes from"),
        Column("note", "text", "Caveats", required=False),
    ),
    overrides_default=True,
)

DATASETS: dict[str, PartnerDataset] = {
    d.name: d
    for d in (
        CRIME_INCIDENTS,
        ASB_INCIDENTS,
        RESIDENTS_SURVEY,
        TREATMENT_MONTHLY,
        DRUG_PREVALENCE,
        REOFFENDING,
        YOUTH_FTE,
        PROBATION_OUTCOMES,
        FIRE_INCIDENTS,
        ALCOHOL_ADMISSIONS,
        ROAD_CASUALTIES,
        UNIT_COSTS,
        DEFLATORS,
    )
}
