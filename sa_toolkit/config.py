"""Load and validate ``config/assessment.yml``.

An invalid file gets one message naming the key and what is allowed
(:class:`sa_toolkit.errors.ConfigError`), never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sa_toolkit import paths
from sa_toolkit.errors import ConfigError, UserError
from sa_toolkit.periods import FinancialYear

# key -> (type check description, validator). Sections and keys not listed are rejected
# so that a typo ("suppresion_threshold") is reported rather than silently ignored.
_SCHEMA: dict[str, dict[str, str]] = {
    "partnership": {
        "name": "text",
        "short_name": "text",
        "code": "text",
        "lsoas": "list of LSOA codes",
        "lookup": "path",
        "region": "text",
    },
    "assessment": {"year": "financial year", "baseline_year": "financial year"},
    "most_similar_group": {"members": "list of CSP codes"},
    "data": {"raw_dir": "path", "processed_dir": "path"},
    "disclosure": {"suppression_threshold": "whole number from 1 to 100"},
    "performance": {
        "amber_tolerance": "number >= 0",
        "significance_level": "number in (0, 1)",
        "targets": "path",
    },
    "reports": {"output_dir": "path", "content_dir": "path"},
    "run": {"jobs": "whole number >= 0", "timeout_seconds": "whole number >= 1"},
    "demo": {"seed": "whole number", "first_year": "financial year"},
}
_DEFAULT_LOOKUP = "geography/lsoa_ward_csp_lookup.csv"
_REQUIRED = [("partnership", "name"), ("partnership", "code"), ("assessment", "year")]


@dataclass(frozen=True)
class Config:
    """Validated settings. Paths are absolute."""

    partnership_name: str
    partnership_short_name: str
    partnership_code: str
    lsoas: tuple[str, ...]
    lookup: Path
    region: str
    year: FinancialYear
    baseline_year: FinancialYear
    msg_members: tuple[str, ...]
    raw_dir: Path
    processed_dir: Path
    suppression_threshold: int
    amber_tolerance: float
    significance_level: float
    output_dir: Path
    jobs: int
    timeout_seconds: int
    demo_seed: int
    demo_first_year: FinancialYear
    root: Path
    source: Path | None = None
    #: the analyst's Markdown (``<content_dir>/<year>/``, see sa_toolkit.content)
    content_dir: Path | None = None
    targets: Path | None = None  # the partnership's targets file (performance.targets)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def report_dir(self) -> Path:
        """``reports/<year>/`` for the configured year (hyphenated)."""
        return self.output_dir / self.year.slug

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with CLI overrides applied (None values are ignored)."""
        clean = {k: v for k, v in changes.items() if v is not None}
        for key in ("year", "baseline_year", "demo_first_year"):
            if key in clean:
                clean[key] = FinancialYear.parse(clean[key])
        for key in ("raw_dir", "processed_dir", "output_dir", "lookup", "content_dir"):
            if key in clean:
                clean[key] = paths.resolve(clean[key], self.root)
        if "raw_dir" in clean and "lookup" not in clean:
            # the lookup setting is relative to the raw folder, so it moves with it
            setting = (self.raw.get("partnership") or {}).get("lookup", _DEFAULT_LOOKUP)
            clean["lookup"] = paths.resolve(setting, clean["raw_dir"])
        return replace(self, **clean)

    def notebook_parameters(self) -> dict[str, Any]:
        """Plain strings and numbers for papermill (never Path or date objects)."""
        return {
            "area": self.partnership_code,
            "year": self.year.label,
            "baseline_year": self.baseline_year.label,
            "raw_dir": str(self.raw_dir),
            "processed_dir": str(self.processed_dir),
            "output_dir": str(self.report_dir),
            "suppression_threshold": int(self.suppression_threshold),
            "config_path": str(self.source) if self.source else "",
        }


def _check_value(section: str, key: str, kind: str, value: Any, src: str) -> Any:
    name = f"{section}.{key}"

    def fail(problem: str) -> ConfigError:
        return ConfigError(name, problem, src)

    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise fail(f"expected non-empty text, found {value!r}")
        return value.strip()
    if kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise fail(f"expected a path, found {value!r}")
        return value
    if kind.startswith("list of"):
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"expected a {kind} (a YAML list of text), found {value!r}")
        return [v.strip() for v in value]
    if kind == "financial year":
        try:
            return FinancialYear.parse(str(value))
        except UserError:
            raise fail(
                f"expected a financial year written like 2024/25 or 2024-25, found {value!r}"
            ) from None
    if kind.startswith("whole number"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"expected a {kind}, found {value!r}")
        if kind == "whole number from 1 to 100" and not 1 <= value <= 100:
            raise fail(f"expected a {kind}, found {value}")
        if kind == "whole number >= 0" and value < 0:
            raise fail(f"expected a {kind}, found {value}")
        if kind == "whole number >= 1" and value < 1:
            raise fail(f"expected a {kind}, found {value}")
        return value
    if kind.startswith("number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(f"expected a {kind}, found {value!r}")
        if kind == "number >= 0" and value < 0:
            raise fail(f"expected a {kind}, found {value}")
        if kind == "number in (0, 1)" and not 0 < value < 1:
            raise fail(f"expected a {kind}, found {value}")
        return float(value)
    raise AssertionError(kind)  # pragma: no cover - schema typo


def load_config(path: str | os.PathLike | None = None, **overrides: Any) -> Config:
    """Read, validate and resolve the configuration.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; default ``config/assessment.yml`` in the project root.
    **overrides
        Values that replace the file's (e.g. ``year="2024/25"``); ``None`` is ignored.
    """
    root = paths.project_root()
    cfg_path = Path(path).resolve() if path else paths.default_config_path(root)
    if path and not cfg_path.is_file():
        raise UserError(f"configuration file {cfg_path} does not exist")
    if path:
        # a config outside the default location still resolves paths from its project
        root = paths.project_root(cfg_path.parent)
    src = str(cfg_path)
    if not cfg_path.is_file():
        raise UserError(f"configuration file {cfg_path} does not exist")
    try:
        doc = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise UserError(f"{src}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict):
        raise UserError(
            f"{src}: expected a YAML mapping of sections (partnership, assessment, ...)"
        )

    values: dict[str, dict[str, Any]] = {}
    for section, body in doc.items():
        if section not in _SCHEMA:
            allowed = ", ".join(_SCHEMA)
            raise ConfigError(str(section), f"unknown section; allowed sections are {allowed}", src)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise ConfigError(str(section), "expected a mapping of keys", src)
        values[section] = {}
        for key, value in body.items():
            if key not in _SCHEMA[section]:
                allowed = ", ".join(_SCHEMA[section])
                raise ConfigError(
                    f"{section}.{key}", f"unknown key; allowed keys are {allowed}", src
                )
            values[section][key] = _check_value(section, key, _SCHEMA[section][key], value, src)
    for section, key in _REQUIRED:
        if key not in values.get(section, {}):
            raise ConfigError(f"{section}.{key}", "is required but missing", src)

    def get(section: str, key: str, default: Any) -> Any:
        return values.get(section, {}).get(key, default)

    year: FinancialYear = get("assessment", "year", None)
    baseline: FinancialYear = get("assessment", "baseline_year", year.previous(5))
    if baseline > year:
        raise ConfigError(
            "assessment.baseline_year",
            f"must not be after assessment.year ({year.label}), found {baseline.label}",
            src,
        )
    members = get("most_similar_group", "members", [])
    code = get("partnership", "code", None)
    if members and code not in members:
        raise ConfigError(
            "most_similar_group.members",
            f"must include the partnership's own code {code}",
            src,
        )
    raw_dir = paths.resolve(get("data", "raw_dir", "data/raw"), root)
    cfg = Config(
        partnership_name=get("partnership", "name", None),
        partnership_short_name=get("partnership", "short_name", get("partnership", "name", "")),
        partnership_code=code,
        lsoas=tuple(get("partnership", "lsoas", [])),
        lookup=paths.resolve(
            get("partnership", "lookup", "geography/lsoa_ward_csp_lookup.csv"), raw_dir
        ),
        region=get("partnership", "region", "Region"),
        year=year,
        baseline_year=baseline,
        msg_members=tuple(members),
        raw_dir=raw_dir,
        processed_dir=paths.resolve(get("data", "processed_dir", "data/processed"), root),
        suppression_threshold=get("disclosure", "suppression_threshold", 5),
        amber_tolerance=get("performance", "amber_tolerance", 2.0),
        significance_level=get("performance", "significance_level", 0.05),
        output_dir=paths.resolve(get("reports", "output_dir", "reports"), root),
        content_dir=paths.resolve(get("reports", "content_dir", "content"), root),
        jobs=get("run", "jobs", 0),
        timeout_seconds=get("run", "timeout_seconds", 900),
        demo_seed=get("demo", "seed", 20261125),
        demo_first_year=get("demo", "first_year", year.previous(5)),
        root=root,
        source=cfg_path,
        targets=paths.resolve(get("performance", "targets", None), root)
        if get("performance", "targets", None)
        else None,
        raw=doc,
    )
    return cfg.with_overrides(**overrides) if overrides else cfg
