"""Typed parameters: params.yaml is read once, into these objects, and each step gets its own section.

Every key is declared once here, with its type and range, and checked in one place (pydantic):
an unknown key is an error naming the nearest known one, a value out of range names the key and
the range. The sections mirror the YAML exactly, so the names logged to MLflow are the YAML keys
and `to_yaml` writes a file that `load_params` reads back.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from leadsift.errors import ParamsError

__all__ = [
    "CalibrationParams", "DataParams", "FeatureParams", "IcpParams", "LabelParams", "LeakageParams",
    "ModelParams", "MonitorParams", "Params", "ParamsError", "ReasonsParams", "RegistryParams", "ReportParams", "ScoreParams",
    "SourcesParams", "SplitParams", "TierParams", "load_params", "load_project_params", "params_from_dict",
]


def _names(value: Any) -> Any:
    """A YAML list of names as a tuple of text; YAML's own true/false (an unquoted NO) is refused."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list, got {value!r}")
    for item in value:
        if isinstance(item, bool) or item is None:
            raise ValueError(f"YAML read {item!r} from an unquoted word: quote it (for example 'NO')")
    return tuple(str(item) for item in value)


Names = Annotated[tuple[str, ...], BeforeValidator(_names)]
Share = Annotated[float, Field(strict=True, ge=0, le=1)]
Positive = Annotated[float, Field(strict=True, gt=0)]
NonNegative = Annotated[float, Field(strict=True, ge=0)]
Count = Annotated[int, Field(strict=True, ge=1)]
Flag = Annotated[bool, Field(strict=True)]


class Section(BaseModel):
    """A params.yaml section: known keys only, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DataParams(Section):
    preset: str | None = None  # a CRM export's shipped map: salesforce, hubspot (`leadsift presets`)
    columns: dict[str, str] = {}  # your CRM column name -> the contract's name
    values: dict[str, dict[str, str]] = {}  # contract column -> {your CRM's value: the contract's value}
    decimal: Literal[".", ","] | None = None  # the decimal mark where a number reads both ways ("1.200"); null: "."
    dayfirst: bool | None = None  # dates as day/month (true) or month/day (false); unset: from the data


class LabelParams(Section):
    unworked: Literal["exclude", "negative"] = "exclude"
    no_outcome: Literal["exclude", "negative"] = "exclude"
    maturity_days: NonNegative = 30.0
    as_of: datetime | None = None  # export date; default: the latest date in the file
    should_have_worked: Literal["positive", "exclude"] = "positive"  # `train --decisions`: what such a lead becomes


class IcpParams(Section):
    employees_min: NonNegative = 50
    employees_max: NonNegative = 5000
    industries: Names = ()
    countries: Names = ()


class FeatureParams(Section):
    extra_numeric: Names = ()
    extra_categorical: Names = ()
    history_keys: Names = ()
    committee_window_days: Positive = 45.0
    history_window_days: NonNegative = 90.0
    history_prior_strength: NonNegative = 30.0
    history_excess: Flag = True       # <key>_accept_excess: earlier leads accepted beyond a first model's expectation
    source_as_category: Flag = True
    max_categories: Count = 200
    missing_values: Names = ()


class SplitParams(Section):
    method: Literal["time", "random", "order"] = "time"
    valid_share: Share = 0.10
    calib_share: Share = 0.15
    test_share: Share = 0.15
    seed: Annotated[int, Field(strict=True)] = 42

    @model_validator(mode="after")
    def _shares_leave_training_rows(self) -> SplitParams:
        total = self.valid_share + self.calib_share + self.test_share
        if not 0 < total < 0.9:
            raise ValueError(f"valid + calib + test shares add up to {total:.2f}; keep them between 0 and 0.9")
        return self


class ModelParams(Section):
    learning_rate: Positive = 0.1
    num_leaves: Annotated[int, Field(strict=True, ge=2)] = 4
    min_child_samples: Count = 50
    max_rounds: Count = 3000
    early_stopping_rounds: Count = 100
    min_rounds: Annotated[int, Field(strict=True, ge=0)] = 100
    feature_fraction: Annotated[float, Field(strict=True, gt=0, le=1)] = 0.7
    lambda_l2: NonNegative = 1.0
    cat_smooth: NonNegative = 10.0
    min_data_per_group: Count = 50
    n_jobs: Count = 2
    seed: Annotated[int, Field(strict=True)] = 42
    kind: Literal["auto", "lightgbm", "logistic"] = "auto"  # auto: the better candidate by held-out log loss
    refit: Flag = True
    refit_max_rows: Count = 300_000
    refit_folds: Annotated[int, Field(strict=True, ge=2)] = 5
    recency_half_life_days: NonNegative = 0.0


class CalibrationParams(Section):
    method: Literal["sigmoid", "isotonic"] = "sigmoid"
    follow_base_rate: Flag = False    # shift each lead's odds by the recent overall rate at its time (drift)


class LeakageParams(Section):
    max_auc: Share = 0.9              # single-column AUC above this flags the column
    max_missing_auc: Share = 0.9      # AUC of "is missing" above this flags it
    keep: Names = ()                  # columns kept on purpose (reported, not dropped)
    after_outcome: Names = ()         # columns your data dictionary says are filled in after the outcome
    max_filled_auc: Share = 0.8       # AUC where filled in above this ...
    filled_missing_auc: Share = 0.6   # ... with missing_auc above this flags it (rule 3)
    min_missing_share: Annotated[float, Field(strict=True, ge=0, lt=0.5)] = 0.01
    min_filled_outcomes: Count = 20   # filled_auc only with this many of each outcome
    folds: Annotated[int, Field(strict=True, ge=2)] = 5  # out-of-fold rates for categories and bins
    smoothing: NonNegative = 20.0     # pseudo-rows of the overall rate per category
    bins: Annotated[int, Field(strict=True, ge=2)] = 20  # quantile bins for numeric columns
    seed: Annotated[int, Field(strict=True)] = 0


class TierParams(Section):
    A: Share = 0.50
    B: Share = 0.25
    C: Share = 0.10

    @model_validator(mode="after")
    def _ordered(self) -> TierParams:
        if not self.A >= self.B >= self.C:
            raise ValueError(f"tiers must satisfy 1 >= A >= B >= C >= 0, got A={self.A} B={self.B} C={self.C}")
        return self


class ReasonsParams(Section):
    top: Annotated[int, Field(strict=True, ge=0, le=20)] = 3  # reasons for and against, each


class RegistryParams(Section):
    experiment: Annotated[str, Field(min_length=1)] = "leadsift"
    model_name: Annotated[str, Field(min_length=1)] = "leadsift"


class ScoreParams(Section):
    chunk_rows: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] = 100_000
    low_quality_share: Positive = 0.5


class SourcesParams(Section):
    flag_share: Positive = 0.5
    min_outcomes: Count = 30
    disputed_high_share: Share = 0.10
    disputed_low_share: Share = 0.25
    review_per_week: Count = 25       # disputed leads the review committee can rule on a week (queue = this x period)
    owner_column: str = "Lead Owner"  # the column naming each lead's sales owner, for follow-up per owner


class ReportParams(Section):
    currency: str | None = None  # the currency of cost, spend and revenue, shown beside every amount (e.g. EUR)


class MonitorParams(Section):
    """`leadsift monitor`: an alert needs a change that is both clear (Holm-corrected tests at `alpha`) and large."""

    alpha: Annotated[float, Field(strict=True, gt=0, lt=1)] = 0.05  # family-wise error per kind of test
    min_decided: Count = 30               # fewer decided leads than this: acceptance not judged
    min_relative_change: Positive = 0.3   # realized acceptance at least this share away from expected ...
    min_abs_change: Share = 0.05          # ... and at least this many points away
    max_psi: Positive = 0.25              # feature drift: population stability index above this
    min_importance: Share = 0.01          # ... in a feature behind at least this share of the model's reliance
    min_auc_drop: Share = 0.05            # realized ROC AUC this far under the model's own test AUC
    min_class_outcomes: Count = 20        # ROC AUC and ECE need this many accepted and this many rejected


class Params(Section):
    """The whole params.yaml."""

    data: DataParams = DataParams()
    target: Literal["accepted", "won"] = "accepted"
    label: LabelParams = LabelParams()
    features: FeatureParams = FeatureParams()
    icp: IcpParams = IcpParams()
    split: SplitParams = SplitParams()
    model: ModelParams = ModelParams()
    calibration: CalibrationParams = CalibrationParams()
    leakage: LeakageParams = LeakageParams()
    tiers: TierParams = TierParams()
    reasons: ReasonsParams = ReasonsParams()
    registry: RegistryParams = RegistryParams()
    score: ScoreParams = ScoreParams()
    sources: SourcesParams = SourcesParams()
    report: ReportParams = ReportParams()
    monitor: MonitorParams = MonitorParams()

    def to_flat_dict(self) -> dict[str, Any]:
        """`section.key` -> value, the names MLflow params get (the YAML keys)."""
        out: dict[str, Any] = {}
        for section, value in self.model_dump(mode="json").items():
            if isinstance(value, dict):
                out.update({f"{section}.{key}": inner for key, inner in value.items()})
            else:
                out[section] = value
        return out

    def to_yaml(self) -> str:
        """Every value, defaults included, as a params.yaml that `load_params` reads back."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where `loc` (a key path into params) points."""
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _problem(error: dict[str, Any]) -> str:
    loc = tuple(part for part in error["loc"] if not isinstance(part, int))
    key = ".".join(map(str, loc)) or "params"
    if error["type"] == "extra_forbidden":
        known = _known_keys(Params, loc)
        if len(loc) > 1 and str(loc[-1]) in Params.model_fields:
            return f"unknown key '{key}'; '{loc[-1]}' is a section of its own, at the top level of params.yaml"
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        hint = f"did you mean '{'.'.join([*map(str, loc[:-1]), near[0]])}'?" if near else f"known keys: {', '.join(known)}"
        return f"unknown key '{key}'; {hint}"
    message = str(error["msg"]).removeprefix("Value error, ")
    shown = "input" in error and not isinstance(error["input"], dict) and "got" not in message
    if shown and error["type"] not in ("model_type", "dict_type"):
        return f"'{key}': {message}, got {error['input']!r}"
    return f"'{key}': {message}"


def params_from_dict(raw: dict[str, Any] | None, where: str = "params") -> Params:
    """Validate a parsed params mapping; every problem named in one ParamsError."""
    try:
        return Params.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise ParamsError(f"{where}: {problems}") from None


def load_params(path: Path | str | None) -> Params:
    """Read params.yaml (or the defaults when `path` is None)."""
    if path is None:
        return params_from_dict({})
    path = Path(path)
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise ParamsError(f"params file {path} {what}; pass --params with an existing YAML file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParamsError(f"params file {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise ParamsError(f"params file {path} must hold a mapping of sections, got {type(raw).__name__}")
    return params_from_dict(raw, str(path))


def load_project_params(path: Path | str | None) -> Params:
    """--params FILE, else ./params.yaml when it exists, else the built-in defaults."""
    if path is None and Path("params.yaml").exists():
        path = "params.yaml"
    return load_params(path)
