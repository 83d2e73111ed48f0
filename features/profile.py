"""A snapshot of how the training leads' features were distributed, and how far new leads have moved from it.

Training keeps, per lead-level feature (what a lead says about itself: firmographics, contact,
engagement, BANT, its source), the shares of its bins (numbers: the training deciles) or of its most
common values (categories), and how often it was empty. Monitoring bins new leads the same way and
measures the move by the population stability index, with a chi-square test of the counts that says
whether a move that size could be chance at this many leads.

History features (source and account rates, committee counts) are not profiled: they change with
time by design.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PROFILE_FORMAT = 1
TOP_VALUES = 20        # categories kept as their own bin; the rest share one
KNOWN_VALUES = 500     # values remembered to tell "never seen in training" from rare
DECILES = np.linspace(0.1, 0.9, 9)
PSI_FLOOR = 1e-4       # a share of 0 on either side would make the index infinite
MISSING, OTHER = "(missing)", "(other)"


@dataclass(frozen=True)
class FeatureDrift:
    """One feature's move from training to the new leads."""

    feature: str
    kind: str                 # numeric | category
    importance: float         # the model's share of reliance on this feature (gain or mean contribution)
    rows: int                 # new leads
    psi: float                # population stability index over the feature's bins
    p_value: float            # chi-square test of the new counts against the training counts
    missing_train: float      # share empty at training
    missing_new: float
    unseen_share: float       # category features: share of new leads with a value training never had
    moved: str                # the bin that moved most, in words ("under 10: 8% -> 61%")


def build_profile(frame: pd.DataFrame, importance: dict[str, float]) -> dict[str, object]:
    """The training snapshot of `frame` (one column per feature), as JSON-ready data. `importance`: how much
    the model leans on each feature (any scale); kept as its share, since drift in an ignored feature moves no score."""
    total = sum(max(float(v), 0.0) for v in importance.values()) or 1.0
    features = {}
    for name in frame.columns:
        values = frame[name]
        features[name] = _numeric_profile(values) if _is_numeric(values) else _category_profile(values)
        features[name]["importance"] = round(max(float(importance.get(name, 0.0)), 0.0) / total, 6)
    return {"format": PROFILE_FORMAT, "rows": int(len(frame)), "features": features}


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _numeric_profile(values: pd.Series) -> dict[str, object]:
    v = values.to_numpy(dtype="float64", na_value=np.nan)
    filled = v[~np.isnan(v)]
    edges = np.unique(np.quantile(filled, DECILES)).tolist() if len(filled) else []
    counts = _numeric_counts(v, np.asarray(edges))
    return {"kind": "numeric", "edges": edges, "counts": counts.tolist()}


def _numeric_counts(v: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin: (-inf, e0], (e0, e1], ..., (e_last, inf), then empty."""
    missing = np.isnan(v)
    bins = np.searchsorted(edges, v[~missing], side="left")
    counts = np.bincount(bins, minlength=len(edges) + 1)
    return np.append(counts, int(missing.sum()))


def _category_text(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.casefold()
    return text.where(values.notna() & (text != ""))


def _category_profile(values: pd.Series) -> dict[str, object]:
    text = _category_text(values)
    counts = text.value_counts()
    top = counts.head(TOP_VALUES)
    return {
        "kind": "category",
        "values": [str(v) for v in top.index],
        "counts": [*map(int, top.to_numpy()), int(counts.iloc[TOP_VALUES:].sum()), int(text.isna().sum())],
        "known": [str(v) for v in counts.index[:KNOWN_VALUES]],
        "complete": bool(len(counts) <= KNOWN_VALUES),
    }


def _category_counts(text: pd.Series, values: list[str]) -> np.ndarray:
    """Counts of the new leads per training value, then every other value, then empty."""
    position = pd.Series(np.arange(len(values)), index=pd.Index(values, dtype="str"))
    code = text.map(position)
    filled = text.notna().to_numpy()
    top = code.to_numpy(dtype="float64", na_value=np.nan)
    counts = np.bincount(top[~np.isnan(top)].astype("int64"), minlength=len(values))
    other = int((filled & np.isnan(top)).sum())
    return np.append(counts, [other, int((~filled).sum())])


def bin_labels(spec: dict[str, object]) -> list[str]:
    """The bins of one profiled feature, in words, in the order of its counts."""
    if spec["kind"] == "category":
        return [*map(str, spec["values"]), OTHER, MISSING]
    edges = [float(e) for e in spec["edges"]]
    if not edges:
        return ["any value", MISSING]
    labels = [f"{edges[0]:g} or less"]
    labels += [f"{lo:g} to {hi:g}" for lo, hi in zip(edges, edges[1:], strict=False)]
    return [*labels, f"over {edges[-1]:g}", MISSING]


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two count vectors over the same bins."""
    e = np.maximum(expected / max(expected.sum(), 1), PSI_FLOOR)
    a = np.maximum(actual / max(actual.sum(), 1), PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def counts_p_value(expected: np.ndarray, actual: np.ndarray) -> float:
    """Chi-square test that both count vectors come from one distribution (bins empty on both sides dropped)."""
    from scipy.stats import chi2_contingency

    table = np.vstack([expected, actual]).astype("float64")
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or actual.sum() == 0:
        return 1.0
    return float(chi2_contingency(table, correction=False).pvalue)


def compare(profile: dict[str, object], frame: pd.DataFrame) -> list[FeatureDrift]:
    """Each profiled feature's drift from training to the leads of `frame` (features `frame` lacks count as empty)."""
    out = []
    for name, spec in profile["features"].items():
        values = frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index, dtype="float64")
        train = np.asarray(spec["counts"], dtype="int64")
        unseen = np.nan
        if spec["kind"] == "numeric":
            new = _numeric_counts(values.to_numpy(dtype="float64", na_value=np.nan), np.asarray(spec["edges"]))
        else:
            text = _category_text(values) if name in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
            new = _category_counts(text, list(spec["values"]))
            if spec["complete"] and text.notna().any():
                unseen = float((text.notna() & ~text.isin(spec["known"])).sum() / len(text))
        out.append(FeatureDrift(
            feature=name, kind=str(spec["kind"]), importance=float(spec.get("importance", 0.0)), rows=int(new.sum()),
            psi=psi(train, new),
            p_value=counts_p_value(train, new), missing_train=_share(train[-1], train.sum()),
            missing_new=_share(new[-1], new.sum()), unseen_share=unseen, moved=_moved(spec, train, new),
        ))
    return out


def _share(k: float, n: float) -> float:
    return float(k / n) if n else np.nan


def _moved(spec: dict[str, object], train: np.ndarray, new: np.ndarray) -> str:
    """The bin whose share moved most, as "<bin>: 8% -> 61%"."""
    if not new.sum() or not train.sum():
        return ""
    before, after = train / train.sum(), new / new.sum()
    i = int(np.argmax(np.abs(after - before)))
    return f"{bin_labels(spec)[i]}: {before[i]:.0%} -> {after[i]:.0%}"
