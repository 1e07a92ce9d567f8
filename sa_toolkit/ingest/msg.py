"""Most Similar Group recorded crime: the toolkit's simple CSV (``msg/*.csv``, one row per
area, offence group and financial year with its population)."""

from __future__ import annotations

import polars as pl

from sa_toolkit.ingest.spec import Column, DatasetSpec, register_dataset

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
