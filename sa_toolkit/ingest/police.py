"""Dataset specs for data.police.uk street, outcomes and stop-and-search files.

Historic labels are mapped to current ones through ``sa_toolkit/data/label_mappings.csv``;
the label as published is kept (``crime_type_published``). Rows without a location (blank
coordinates and LSOA) are valid and kept.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from sa_toolkit.ingest.spec import Column, DatasetSpec, FileContext, register_dataset
from sa_toolkit.paths import PACKAGE_DATA_DIR

#: The 14 current data.police.uk crime types.
CRIME_TYPES = frozenset(
    {
        "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
        "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
        "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
        "Violence and sexual offences",
    }
)  # fmt: skip
#: Great Britain's bounding box (WGS84) with a small margin; points outside are rejected.
GB_LONGITUDE = (-8.75, 1.80)
GB_LATITUDE = (49.80, 60.95)
#: data.police.uk's first month.
FIRST_MONTH = "2010-12"


@lru_cache(maxsize=1)
def label_mappings() -> pl.DataFrame:
    """The documented table of historic -> current labels."""
    return pl.read_csv(PACKAGE_DATA_DIR / "label_mappings.csv", infer_schema=False)


@lru_cache(maxsize=32)
def _mapping(dataset: str, column: str) -> dict[str, str]:
    m = label_mappings().filter((pl.col("dataset") == dataset) & (pl.col("column") == column))
    return dict(zip(m["published_label"], m["current_label"], strict=True))


def _relabel(frame: pl.DataFrame, dataset: str, columns: tuple[tuple[str, str], ...]):
    """``frame`` with each ``column`` set to ``source`` mapped through the table's rows.

    Most files hold only current labels: a replace runs only on a column in which a
    historic label occurs, found for all columns in one pass over the parsed frame (a
    hash lookup, far cheaper than a byte search per label); otherwise the columns are
    copied without a query.
    """
    probed, probes = _label_probes(dataset, columns)
    found = frame.select(probes).row(0) if probes else ()
    hits = {column for column, hit in zip(probed, found, strict=True) if hit}
    if not hits and not any(c in frame.columns and c != source for c, source in columns):
        copies = [frame.get_column(source).alias(c) for c, source in columns if c != source]
        return frame.hstack(copies) if copies else frame
    return frame.with_columns(
        (
            pl.col(source).replace({k: v for k, v in _mapping(dataset, c).items() if k != v})
            if c in hits
            else pl.col(source)
        ).alias(c)
        for c, source in columns
    )


@lru_cache(maxsize=32)
def _label_probes(dataset: str, columns: tuple[tuple[str, str], ...]):
    """The columns that have historic labels, and for each an "any historic label?" test."""
    probed = [c for c, _ in columns if _historic_labels(dataset, c)]
    probes = [
        pl.col(source).is_in(list(_historic_labels(dataset, c))).any().alias(c)
        for c, source in columns
        if c in probed
    ]
    return probed, probes


@lru_cache(maxsize=32)
def _historic_labels(dataset: str, column: str) -> tuple[str, ...]:
    return tuple(k for k, v in _mapping(dataset, column).items() if k != v)


def _latest_month() -> str:
    today = dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def _month_checks(frame: pl.DataFrame, ctx: FileContext, column: str, source: str):
    return _month_checks_for(
        ctx.file_month, None if ctx.file_month else _latest_month(), column, source
    )


@lru_cache(maxsize=256)
def _month_checks_for(file_month: str | None, latest: str | None, column: str, source: str):
    # built once per month: building expressions costs more than evaluating them on a
    # small file
    month = pl.col(column)
    if file_month:
        # a badly formed month is rejected by the cast check (no typed value)
        bad = pl.col(f"{column}__value").is_not_null() & (month != file_month)
        reason = pl.concat_str(
            [
                pl.lit(f"month out of range: expected {file_month} (the file's month), found '"),
                month,
                pl.lit("'"),
            ]
        )
    else:
        bad = (month < FIRST_MONTH) | (month > latest)
        reason = pl.concat_str(
            [
                pl.lit(f"month out of range: expected {FIRST_MONTH} to {latest}, found '"),
                month,
                pl.lit("'"),
            ]
        )
    return ((source, reason, bad),)


@lru_cache(maxsize=8)
def _coordinate_checks(lon: str = "longitude", lat: str = "latitude"):
    x, y = pl.col(f"{lon}__value"), pl.col(f"{lat}__value")
    one_blank = pl.col(lon).is_null() ^ pl.col(lat).is_null()
    outside = (
        (x < GB_LONGITUDE[0]) | (x > GB_LONGITUDE[1]) | (y < GB_LATITUDE[0]) | (y > GB_LATITUDE[1])
    )
    return (
        ("Longitude", "only one of longitude and latitude is given", one_blank),
        (
            "Longitude",
            pl.format(
                "coordinates outside Great Britain: longitude {}, latitude {}",
                pl.col(lon),
                pl.col(lat),
            ),
            outside,
        ),
    )


LOCATION_COLUMNS = (
    Column("Reported by", "reported_by", "category"),
    Column("Falls within", "falls_within", "category"),
    Column("Longitude", "longitude", "float"),
    Column("Latitude", "latitude", "float"),
    Column("Location", "location", "text"),
    Column("LSOA code", "lsoa_code", "category"),
    Column("LSOA name", "lsoa_name", "category"),
)


def _street_prepare(frame: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    return _relabel(
        frame,
        "police_street",
        (
            ("crime_type", "crime_type_published"),
            ("last_outcome_category", "last_outcome_category"),
        ),
    )


def _street_checks(frame: pl.DataFrame, ctx: FileContext):
    return [*_month_checks(frame, ctx, "month", "Month"), *_coordinate_checks(), _CRIME_TYPE_CHECK]


_CRIME_TYPE_CHECK = (
    "Crime type",
    pl.concat_str([pl.lit("unknown crime type '"), pl.col("crime_type_published"), pl.lit("'")]),
    pl.col("crime_type").is_not_null() & ~pl.col("crime_type").is_in(sorted(CRIME_TYPES)),
)


STREET_ORDER = [
    "crime_id", "month", "reported_by", "falls_within", "longitude", "latitude", "location",
    "lsoa_code", "lsoa_name", "crime_type", "crime_type_published", "last_outcome_category",
    "context", "source_file", "source_line",
]  # fmt: skip

POLICE_STREET = register_dataset(
    DatasetSpec(
        name="police_street",
        description="data.police.uk street-level crime and ASB",
        patterns=("police_uk/*/*-street.csv", "police_uk/*-street.csv"),
        columns=(
            Column("Crime ID", "crime_id", "text"),
            Column("Month", "month", "month", required=True),
            *LOCATION_COLUMNS,
            Column("Crime type", "crime_type_published", "category", required=True),
            Column("Last outcome category", "last_outcome_category", "category"),
            Column("Context", "context", "text"),
        ),
        month_column="month",
        unique=("crime_id",),
        prepare=_street_prepare,
        checks=_street_checks,
        finish=lambda frame, ctx: frame[STREET_ORDER],
        zip_members=True,
        parallel=True,
    )
)


def _outcomes_prepare(frame: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    return _relabel(frame, "police_outcomes", (("outcome_type", "outcome_type"),))


POLICE_OUTCOMES = register_dataset(
    DatasetSpec(
        name="police_outcomes",
        description="data.police.uk outcomes",
        patterns=("police_uk/*/*-outcomes.csv", "police_uk/*-outcomes.csv"),
        columns=(
            Column("Crime ID", "crime_id", "text", required=True),
            Column("Month", "month", "month", required=True),
            *LOCATION_COLUMNS,
            Column("Outcome type", "outcome_type", "category", required=True),
        ),
        month_column="month",
        prepare=_outcomes_prepare,
        checks=lambda frame, ctx: [
            *_month_checks(frame, ctx, "month", "Month"),
            *_coordinate_checks(),
        ],
        zip_members=True,
        parallel=True,
    )
)


def _stop_checks(frame: pl.DataFrame, ctx: FileContext):
    month = pl.col("date__value").dt.strftime("%Y-%m")
    bad = (month < FIRST_MONTH) | (month > _latest_month())
    reason = pl.concat_str([pl.lit("date out of range: found '"), pl.col("date"), pl.lit("'")])
    return [("Date", reason, bad), *_coordinate_checks()]


STOP_ORDER = [
    "force", "type", "datetime", "month", "part_of_policing_operation", "policing_operation",
    "latitude", "longitude", "gender", "age_range", "self_defined_ethnicity",
    "officer_defined_ethnicity", "legislation", "object_of_search", "outcome",
    "outcome_linked_to_object_of_search", "removal_of_more_than_just_outer_clothing",
    "source_file", "source_line",
]  # fmt: skip


def _stop_finish(frame: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(ctx.force, dtype=pl.String).alias("force"),
        pl.col("date").alias("datetime"),
        pl.col("date").dt.truncate("1mo").dt.date().alias("month"),
    ).select(STOP_ORDER)


POLICE_STOP_SEARCH = register_dataset(
    DatasetSpec(
        name="police_stop_search",
        description="data.police.uk stop and search",
        patterns=("police_uk/*/*-stop-and-search.csv", "police_uk/*-stop-and-search.csv"),
        columns=(
            Column("Type", "type", "category", required=True),
            Column("Date", "date", "datetime", required=True),
            Column("Part of a policing operation", "part_of_policing_operation", "bool"),
            Column("Policing operation", "policing_operation", "text"),
            Column("Latitude", "latitude", "float"),
            Column("Longitude", "longitude", "float"),
            Column("Gender", "gender", "category"),
            Column("Age range", "age_range", "category"),
            Column("Self-defined ethnicity", "self_defined_ethnicity", "category"),
            Column("Officer-defined ethnicity", "officer_defined_ethnicity", "category"),
            Column("Legislation", "legislation", "category"),
            Column("Object of search", "object_of_search", "category"),
            Column("Outcome", "outcome", "category"),
            Column(
                "Outcome linked to object of search", "outcome_linked_to_object_of_search", "bool"
            ),
            Column(
                "Removal of more than just outer clothing",
                "removal_of_more_than_just_outer_clothing",
                "bool",
            ),
        ),
        month_column="month",
        checks=_stop_checks,
        finish=_stop_finish,
        zip_members=True,
        parallel=True,
    )
)
