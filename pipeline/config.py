"""Typed parameters: params.yaml is read once, here, and passed down as these objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from features.leakage import LeakageParams


class ParamsError(ValueError):
    """params.yaml holds a value leadsift cannot use."""


@dataclass(frozen=True)
class DataParams:
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelParams:
    unworked: Literal["exclude", "negative"] = "exclude"
    no_outcome: Literal["exclude", "negative"] = "exclude"
    maturity_days: float = 30.0
    as_of: str | None = None


@dataclass(frozen=True)
class IcpParams:
    employees_min: float = 50
    employees_max: float = 5000
    industries: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeatureParams:
    extra_numeric: tuple[str, ...] = ()
    extra_categorical: tuple[str, ...] = ()
    history_keys: tuple[str, ...] = ()
    committee_window_days: float = 45.0
    history_window_days: float = 90.0
    history_prior_strength: float = 30.0
    source_as_category: bool = True
    max_categories: int = 200
    missing_values: tuple[str, ...] = ()
    icp: IcpParams = field(default_factory=IcpParams)


@dataclass(frozen=True)
class SplitParams:
    method: Literal["time", "random"] = "time"
    valid_share: float = 0.10
    calib_share: float = 0.15
    test_share: float = 0.15
    seed: int = 42


@dataclass(frozen=True)
class ModelParams:
    learning_rate: float = 0.1
    num_leaves: int = 4
    min_child_samples: int = 50
    max_rounds: int = 3000
    early_stopping_rounds: int = 100
    min_rounds: int = 100
    feature_fraction: float = 0.7
    lambda_l2: float = 1.0
    cat_smooth: float = 10.0
    min_data_per_group: int = 50
    n_jobs: int = 2
    seed: int = 42
    refit: bool = True
    refit_max_rows: int = 300_000
    refit_folds: int = 5
    recency_half_life_days: float = 0.0


@dataclass(frozen=True)
class CalibrationParams:
    method: Literal["sigmoid", "isotonic"] = "sigmoid"


@dataclass(frozen=True)
class TierParams:
    A: float = 0.50
    B: float = 0.25
    C: float = 0.10


@dataclass(frozen=True)
class RegistryParams:
    experiment: str = "leadsift"
    model_name: str = "leadsift"


@dataclass(frozen=True)
class ScoreParams:
    chunk_rows: int = 100_000
    low_quality_share: float = 0.5


@dataclass(frozen=True)
class SourcesParams:
    flag_share: float = 0.5
    min_outcomes: int = 30
    disputed_high_share: float = 0.10
    disputed_low_share: float = 0.25


@dataclass(frozen=True)
class Params:
    data: DataParams = field(default_factory=DataParams)
    target: Literal["accepted", "won"] = "accepted"
    label: LabelParams = field(default_factory=LabelParams)
    features: FeatureParams = field(default_factory=FeatureParams)
    split: SplitParams = field(default_factory=SplitParams)
    model: ModelParams = field(default_factory=ModelParams)
    calibration: CalibrationParams = field(default_factory=CalibrationParams)
    leakage: LeakageParams = field(default_factory=LeakageParams)
    tiers: TierParams = field(default_factory=TierParams)
    reasons_top: int = 3
    registry: RegistryParams = field(default_factory=RegistryParams)
    score: ScoreParams = field(default_factory=ScoreParams)
    sources: SourcesParams = field(default_factory=SourcesParams)
    source_file: str | None = None

    def to_flat_dict(self) -> dict[str, Any]:
        """Flatten to `section.key` strings, the shape MLflow params want."""
        out: dict[str, Any] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    walk(f"{prefix}.{key}" if prefix else str(key), inner)
            else:
                out[prefix] = value

        walk("", asdict(self))
        return out


def _section(cls: type, raw: Any, name: str) -> Any:
    """Build dataclass `cls` from a mapping, rejecting unknown keys and wrong types."""
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ParamsError(f"params section '{name}' must be a mapping, got {type(raw).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ParamsError(
            f"params section '{name}' has unknown key(s) {unknown}; known keys: {sorted(known)}"
        )
    values: dict[str, Any] = {}
    for key, value in raw.items():
        default = getattr(cls(), key)
        if isinstance(default, tuple):
            if value is None:
                value = ()
            if not isinstance(value, (list, tuple)):
                raise ParamsError(f"params '{name}.{key}' must be a list, got {value!r}")
            value = tuple(str(v) for v in value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ParamsError(f"params '{name}.{key}' must be true or false, got {value!r}")
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ParamsError(f"params '{name}.{key}' must be a number, got {value!r}")
            value = type(default)(value) if isinstance(default, float) or float(value).is_integer() else value
        elif isinstance(default, dict):
            if value is None:
                value = {}
            if not isinstance(value, dict):
                raise ParamsError(f"params '{name}.{key}' must be a mapping, got {value!r}")
            value = {str(k): str(v) for k, v in value.items()}
        elif isinstance(default, str) or default is None:
            if value is not None and not isinstance(value, str):
                value = str(value)
        values[key] = value
    return cls(**values)


_CHOICES = {
    "target": ("accepted", "won"),
    "label.unworked": ("exclude", "negative"),
    "label.no_outcome": ("exclude", "negative"),
    "split.method": ("time", "random"),
    "calibration.method": ("sigmoid", "isotonic"),
}


def params_from_dict(raw: dict[str, Any], source_file: str | None = None) -> Params:
    """Validate a parsed params mapping and build typed Params."""
    raw = dict(raw or {})
    known = {
        "data", "target", "label", "features", "icp", "split", "model", "calibration",
        "leakage", "tiers", "reasons", "registry", "score", "sources",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ParamsError(f"params has unknown section(s) {unknown}; known: {sorted(known)}")
    features_raw = dict(raw.get("features") or {})
    icp = _section(IcpParams, raw.get("icp"), "icp")
    features = _section(FeatureParams, features_raw, "features")
    features = FeatureParams(**{**asdict(features), "icp": icp})
    reasons = raw.get("reasons") or {}
    params = Params(
        data=_section(DataParams, raw.get("data"), "data"),
        target=str(raw.get("target", "accepted")),  # type: ignore[arg-type]
        label=_section(LabelParams, raw.get("label"), "label"),
        features=features,
        split=_section(SplitParams, raw.get("split"), "split"),
        model=_section(ModelParams, raw.get("model"), "model"),
        calibration=_section(CalibrationParams, raw.get("calibration"), "calibration"),
        leakage=_section(LeakageParams, raw.get("leakage"), "leakage"),
        tiers=_section(TierParams, raw.get("tiers"), "tiers"),
        reasons_top=int(reasons.get("top", 3)) if isinstance(reasons, dict) else 3,
        registry=_section(RegistryParams, raw.get("registry"), "registry"),
        score=_section(ScoreParams, raw.get("score"), "score"),
        sources=_section(SourcesParams, raw.get("sources"), "sources"),
        source_file=source_file,
    )
    flat = params.to_flat_dict()
    for key, allowed in _CHOICES.items():
        if flat[key] not in allowed:
            raise ParamsError(f"params '{key}' is {flat[key]!r}; choose one of {list(allowed)}")
    shares = params.split.valid_share + params.split.calib_share + params.split.test_share
    if not 0 < shares < 0.9:
        raise ParamsError(
            f"split shares (valid + calib + test) add up to {shares:.2f}; keep them between 0 and 0.9"
        )
    t = params.tiers
    if not 1 >= t.A >= t.B >= t.C >= 0:
        raise ParamsError(f"tiers must satisfy 1 >= A >= B >= C >= 0, got A={t.A} B={t.B} C={t.C}")
    return params


def load_params(path: Path | str | None) -> Params:
    """Read params.yaml (or defaults when `path` is None)."""
    if path is None:
        return params_from_dict({})
    path = Path(path)
    if not path.exists():
        raise ParamsError(f"params file {path} does not exist; pass --params with an existing file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParamsError(f"params file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"params file {path} must hold a mapping of sections")
    return params_from_dict(raw, source_file=str(path))


def load_project_params(path: Path | str | None) -> Params:
    """--params FILE, else ./params.yaml when it exists, else the built-in defaults."""
    if path is None and Path("params.yaml").exists():
        path = "params.yaml"
    return load_params(path)
