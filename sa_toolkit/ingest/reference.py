"""Dataset specs for the reference tables: geography lookup, population and MSG crime."""

from __future__ import annotations

import re

import polars as pl

from sa_toolkit.ingest.spec import Column, DatasetSpec, FileContext, register_dataset

LOOKUP = register_dataset(
    DatasetSpec(
        name="lookup",
        description="ONS-style LSOA to ward to partnership lookup",
        patterns=("geography/lsoa_ward_csp_lookup.csv",),
        columns=(
            Column("LSOA21CD", "lsoa_code", "category", required=True),
            Column("LSOA21NM", "lsoa_name", "category"),
            Column("WD24CD", "ward_code", "category", required=True),
            Column("WD24NM", "ward_name", "category"),
            Column("CSP24CD", "csp_code", "category", required=True),
            Column("CSP24NM", "csp_name", "category"),
            Column("LAD24CD", "lad_code", "category"),
            Column("LAD24NM", "lad_name", "category"),
        ),
        unique=("lsoa_code",),
    )
)

AGES = range(91)
BANDS = [(a, f"{a}-{a + 4}") for a in range(0, 90, 5)] + [(90, "90+")]


def _population_finish(frame: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    """Wide single years of age -> long five-year bands by sex."""
    match = re.search(r"mid-(\d{4})", ctx.name)
    year = int(match.group(1)) if match else None
    age_cols = [f"{s}{a}" for s in "FM" for a in AGES]
    long = frame.select("lsoa_code", *age_cols).unpivot(
        index="lsoa_code", variable_name="sex_age", value_name="population"
    )
    long = long.with_columns(
        pl.col("sex_age").str.slice(0, 1).alias("sex"),
        pl.col("sex_age").str.slice(1).cast(pl.Int32).alias("age"),
    ).with_columns(
        pl.when(pl.col("age") >= 90).then(90).otherwise(pl.col("age") // 5 * 5).alias("age_min")
    )
    labels = {a: label for a, label in BANDS}
    return (
        long.group_by("lsoa_code", "sex", "age_min")
        .agg(pl.col("population").sum())
        .with_columns(
            pl.lit(year, dtype=pl.Int32).alias("year"),
            pl.col("age_min").replace_strict(labels, return_dtype=pl.String).alias("age_band"),
            pl.lit(ctx.file).alias("source_file"),
        )
        .select("year", "lsoa_code", "sex", "age_band", "age_min", "population", "source_file")
        .sort("lsoa_code", "sex", "age_min")
    )


def _population_checks(frame: pl.DataFrame, ctx: FileContext):
    if re.search(r"mid-(\d{4})", ctx.name):
        return []
    return [
        (None, "the file name must hold the mid-year, e.g. sapelsoasyoa_mid-2024.csv", pl.lit(True))
    ]


POPULATION = register_dataset(
    DatasetSpec(
        name="population",
        description="ONS-style mid-year population estimates by LSOA, sex and single year of age",
        patterns=("geography/population/*.csv",),
        columns=(
            Column("LAD 2021 Code", "lad_code", "category"),
            Column("LAD 2021 Name", "lad_name", "category"),
            Column("LSOA 2021 Code", "lsoa_code", "category", required=True),
            Column("LSOA 2021 Name", "lsoa_name", "category"),
            Column("Total", "total", "int", required=True, minimum=0),
            *(
                Column(f"{s}{a}", f"{s}{a}", "int", required=True, minimum=0)
                for s in "FM"
                for a in AGES
            ),
        ),
        unique=("lsoa_code",),
        checks=_population_checks,
        finish=_population_finish,
    )
)

MSG = register_dataset(
    DatasetSpec(
        name="msg_crime",
        description="Most Similar Group recorded crime by partnership, offence group and year",
        patterns=("msg/*.csv",),
        columns=(
            Column("Financial year", "financial_year", "category", required=True),
            Column("Area code", "area_code", "category", required=True),
            Column("Area name", "area_name", "category"),
            Column(
                "Area type",
                "area_type",
                "category",
                required=True,
                allowed=frozenset({"csp", "region", "national"}),
            ),
            Column("Offence group", "offence_group", "category", required=True),
            Column("Offences", "offences", "int", required=True, minimum=0),
            Column("Population", "population", "int", required=True, minimum=1),
        ),
        checks=lambda frame, ctx: [
            (
                "Financial year",
                pl.concat_str(
                    [
                        pl.lit("expected a financial year written 2024/25, found '"),
                        pl.col("financial_year"),
                        pl.lit("'"),
                    ]
                ),
                ~pl.col("financial_year").str.contains(r"^\d{4}/\d{2}$"),
            )
        ],
        finish=lambda frame, ctx: frame.select(
            "area_code",
            "area_name",
            "area_type",
            "financial_year",
            "offence_group",
            "offences",
            "population",
            "source_file",
            "source_line",
        ),
    )
)
