"""The reference tables: geography lookups and population estimates are recognised by
their columns (:mod:`sa_toolkit.ingest.geography`, :mod:`sa_toolkit.ingest.population`,
read after the engine); Most Similar Group crime is :mod:`sa_toolkit.ingest.msg`."""

from __future__ import annotations

from sa_toolkit.ingest import msg  # noqa: F401 - registers the MSG specs on import
