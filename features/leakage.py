"""Target-leakage audit: find columns that give the outcome away, before training.

A column leaks when it was written after the outcome was (partly) known: a status set by
sales, a rep's rating of the lead, a "last activity" updated by the follow-up calls. Such
a column predicts the history well and new leads not at all. Each column is measured
alone, on the labelled rows:

- ``auc``: how well the column alone ranks converted leads above the others (ROC AUC).
  It must be honest, so that nothing wins by memorizing rows:

  * categorical (text, category, boolean): the out-of-fold outcome rate of the row's value
    (stratified K folds, fixed seed), smoothed toward the overall rate; a value not seen
    in the other folds gets the overall rate, so an ID column scores 0.5, not 1.0.
    Missing is a value of its own.
  * numeric: the better of the value itself (max(auc, 1 - auc), missing ranked lowest or
    highest, whichever fits) and the out-of-fold rate of its quantile bin (missing its
    own bin), so that a non-monotone column is judged fairly.
  * datetime: numeric, on the timestamp.

- ``missing_share`` and ``missing_auc``: the AUC of "the value is missing" (NaN, NaT, or
  an empty string; placeholders such as "Select" are values), max(auc, 1 - auc). For a
  yes/no indicator this is 0.5 + |a - b| / 2, where a and b are the shares missing among
  converted and other leads. Only computed when the missing share lies between
  ``min_missing_share`` and 1 - ``min_missing_share``.
- ``filled_auc``: ``auc`` measured only on rows where the column is filled in (when some
  rows are missing and the filled ones hold at least ``min_filled_outcomes`` of each
  outcome).

A column is flagged when any of these holds:

1. ``auc > max_auc`` (0.9): the column alone nearly is the outcome.
2. ``missing_auc > max_missing_auc`` (0.9): whether it is filled in nearly is the outcome.
3. ``filled_auc > max_filled_auc`` (0.8) and ``missing_auc > filled_missing_auc`` (0.6):
   the column looks recorded while the lead was worked. Such a field is empty for leads
   nobody worked, so it is filled in far more often for one outcome (0.6 means the shares
   filled in differ by 20 points), and where it is filled in it sorts the outcome sharply,
   being a judgement of that very lead's chances. A rating filled in for half of the
   leads hides behind its empty half in ``auc``; this rule sees it. A lead-time form
   field that engaged leads fill in more often shows the first sign but rarely the
   second, and an ordinary strong predictor that is always filled in shows neither.

The rule is a screen, not a proof: a field known after the outcome but no more predictive
than honest fields (a call's duration, a weakly informative score) cannot be told apart
from them by its numbers alone, and an honest column can be flagged. Hence ``keep``:
flagged columns listed there are reported but not dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.params import LeakageParams

log = logging.getLogger(__name__)

TABLE_COLUMNS = (
    "column", "kind", "auc", "missing_share", "missing_auc", "filled_auc", "flagged", "reason", "kept",
)


@dataclass(frozen=True)
class LeakageReport:
    table: pd.DataFrame  # one row per audited column, TABLE_COLUMNS, in audit order

    @property
    def flagged(self) -> list[str]:
        """Columns to leave out of the model: flagged and not kept."""
        rows = self.table[self.table["flagged"] & ~self.table["kept"]]
        return rows["column"].tolist()

    def to_text(self, top: int = 5) -> str:
        """Flagged columns, then the `top` strongest unflagged ones, as a fixed-width table."""
        if self.table.empty:
            return "Leakage audit: no columns audited."
        by_auc = self.table.sort_values("auc", ascending=False, kind="stable")
        flagged = by_auc[by_auc["flagged"]]
        rest = by_auc[~by_auc["flagged"]].head(top)
        width = min(40, max(len("column"), *(len(str(c)) for c in by_auc["column"])))

        def num(x: float) -> str:
            return "    -" if pd.isna(x) else f"{x:5.3f}"

        lines = [
            f"Leakage audit: {len(flagged)} of {len(self.table)} columns flagged"
            f" ({len(self.flagged)} left out).",
            f"{'column':<{width}}  {'kind':<11}  auc    miss%  m.auc  f.auc  verdict",
        ]
        for part in (flagged, rest):
            for row in part.itertuples(index=False):
                name = str(row.column)
                name = name if len(name) <= width else name[: width - 1] + "~"
                verdict = ("kept: " if row.kept else "DROP: ") + row.reason if row.flagged else "ok"
                lines.append(
                    f"{name:<{width}}  {row.kind:<11}  {num(row.auc)}  "
                    f"{100 * row.missing_share:5.1f}  {num(row.missing_auc)}  {num(row.filled_auc)}  {verdict}"
                )
        return "\n".join(lines)


def audit_leakage(
    frame: pd.DataFrame, y: np.ndarray | pd.Series, columns: Sequence[str], params: LeakageParams
) -> LeakageReport:
    """Measure each column alone against the 0/1 outcome `y` (by position) and flag leaks."""
    labels = _labels(y, len(frame))
    columns = list(dict.fromkeys(columns))
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"leakage audit: column(s) not in the frame: {absent}")
    unknown_keep = sorted(set(params.keep) - set(columns))
    if unknown_keep:
        log.warning("leakage.keep names column(s) that were not audited: %s", unknown_keep)

    if columns and (labels.sum() == 0 or labels.sum() == len(labels)):
        raise ValueError(
            f"leakage audit: y needs both outcomes, got {int(labels.sum())} ones in {len(labels)} rows"
        )
    fold = _stratified_folds(labels, params.folds, params.seed)
    rows = []
    for column in columns:
        measured = _measure(frame[column], labels, fold, params)
        reasons = _reasons(measured, params)
        if column in params.after_outcome:
            reasons.insert(0, "declared filled in after the outcome (leakage.after_outcome)")
        rows.append({
            "column": column,
            **measured,
            "flagged": bool(reasons),
            "reason": "; ".join(reasons),
            "kept": bool(reasons) and column in params.keep,
        })
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS)).astype({
        "kind": "str", "auc": "float64", "missing_share": "float64", "missing_auc": "float64",
        "filled_auc": "float64", "flagged": "bool", "reason": "str", "kept": "bool",
    })
    for row in table[table["flagged"]].itertuples(index=False):
        log.warning(
            "leakage: column %r %s: %s", row.column, "kept on purpose" if row.kept else "left out", row.reason
        )
    return LeakageReport(table=table)


def _labels(y: np.ndarray | pd.Series, n_rows: int) -> np.ndarray:
    values = np.asarray(y.to_numpy() if isinstance(y, pd.Series) else y)
    if values.ndim != 1:
        raise ValueError(f"leakage audit: y must be one-dimensional, got shape {values.shape}")
    if len(values) != n_rows:
        raise ValueError(
            f"leakage audit: y has {len(values)} values but the frame has {n_rows} rows"
        )
    try:
        numeric = values.astype("float64")
    except (TypeError, ValueError):
        raise ValueError("leakage audit: y must hold only 0 and 1") from None
    if not np.isin(numeric, (0.0, 1.0)).all():
        raise ValueError("leakage audit: y must hold only 0 and 1 (no missing labels)")
    return numeric.astype(np.int64)


def _stratified_folds(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Fold number per row; each outcome spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=np.int64)
    for outcome in (0, 1):
        rows = rng.permutation(np.flatnonzero(labels == outcome))
        fold[rows] = np.arange(len(rows)) % folds
    return fold


def _kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s.dtype):
        return "categorical"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return "datetime"
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(s.dtype):
        return "numeric"
    return "categorical"


def _measure(s: pd.Series, labels: np.ndarray, fold: np.ndarray, params: LeakageParams) -> dict:
    kind = _kind(s)
    if kind == "categorical":
        codes, missing = _category_codes(s)
        raw_all = raw_filled = np.nan
    else:
        values = _as_float(s, kind)
        missing = np.isnan(values)
        codes, raw_all, raw_filled = _numeric_bins(values, missing, labels, params.bins)
    oof_all, oof_filled = _oof_auc(codes, missing, labels, fold, params)

    share = float(missing.mean()) if len(missing) else 0.0
    missing_auc = np.nan
    if params.min_missing_share < share < 1 - params.min_missing_share:
        a = missing[labels == 1].mean()
        b = missing[labels == 0].mean()
        missing_auc = 0.5 + abs(a - b) / 2
    filled = labels[~missing]
    enough = min(filled.sum(), len(filled) - filled.sum()) >= max(params.min_filled_outcomes, 1)
    filled_auc = _best(oof_filled, raw_filled) if enough and share > 0 else np.nan
    return {
        "kind": kind,
        "auc": _best(oof_all, raw_all),
        "missing_share": share,
        "missing_auc": float(missing_auc),
        "filled_auc": float(filled_auc),
    }


def _reasons(m: dict, params: LeakageParams) -> list[str]:
    reasons = []
    if m["auc"] > params.max_auc:
        reasons.append(f"alone predicts the outcome (AUC {m['auc']:.3f} > {params.max_auc})")
    if m["missing_auc"] > params.max_missing_auc:
        reasons.append(
            f"whether it is filled in predicts the outcome "
            f"(AUC {m['missing_auc']:.3f} > {params.max_missing_auc})"
        )
    if m["filled_auc"] > params.max_filled_auc and m["missing_auc"] > params.filled_missing_auc:
        reasons.append(
            f"filled in mostly for one outcome (AUC {m['missing_auc']:.3f} > {params.filled_missing_auc}) "
            f"and predicts it where filled in (AUC {m['filled_auc']:.3f} > {params.max_filled_auc}): "
            f"looks recorded while the lead was worked"
        )
    return reasons


def _category_codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per row, missing (NaN or blank text) as one code of its own."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    try:  # only text can be blank; checked on the distinct values, not the rows
        blank = pd.Series(uniques).str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    except AttributeError:
        blank = np.zeros(len(uniques), dtype=bool)
    if blank.any():
        codes = np.where(blank[np.maximum(codes, 0)] & (codes >= 0), -1, codes)
    missing = codes < 0
    codes = np.where(missing, len(uniques), codes)
    return codes.astype(np.int64), missing


def _as_float(s: pd.Series, kind: str) -> np.ndarray:
    if kind == "datetime":
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ticks = s.to_numpy(dtype="datetime64[ns]").view("int64").astype("float64")
        return np.where(s.isna().to_numpy(), np.nan, ticks)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        ticks = s.to_numpy(dtype="timedelta64[ns]").view("int64").astype("float64")
        return np.where(s.isna().to_numpy(), np.nan, ticks)
    return s.to_numpy(dtype="float64", na_value=np.nan)


def _numeric_bins(
    values: np.ndarray, missing: np.ndarray, labels: np.ndarray, bins: int
) -> tuple[np.ndarray, float, float]:
    """Quantile-bin codes (missing its own bin), and the AUC of the value itself, all rows and filled rows.

    One sort serves both: a value's bin is where its first occurrence falls in the sorted
    column, so a heavy value keeps a bin of its own.
    """
    present = values[~missing]
    y_present = labels[~missing]
    uniq, inverse, counts = np.unique(present, return_inverse=True, return_counts=True)
    codes = np.full(len(values), bins if len(uniq) > bins else len(uniq), dtype=np.int64)
    if len(uniq) <= bins:
        codes[~missing] = inverse
    else:
        start = np.concatenate(([0], np.cumsum(counts)[:-1]))
        codes[~missing] = (start * bins // len(present))[inverse]

    pos = np.bincount(inverse, weights=y_present, minlength=len(uniq))
    neg = counts - pos
    wins = _wins(pos, neg)  # pairs (positive, negative) of filled rows ordered right, ties half
    p1, p0 = pos.sum(), neg.sum()
    m1 = labels[missing].sum()
    m0 = missing.sum() - m1
    filled_auc = _orientation_free(wins / (p1 * p0)) if p1 and p0 else np.nan
    n1, n0 = p1 + m1, p0 + m0
    low = wins + p1 * m0 + 0.5 * m1 * m0   # missing ranked below every value
    high = wins + m1 * p0 + 0.5 * m1 * m0  # missing ranked above every value
    all_auc = max(_orientation_free(low / (n1 * n0)), _orientation_free(high / (n1 * n0)))
    return codes, all_auc, filled_auc


def _oof_auc(
    codes: np.ndarray, missing: np.ndarray, labels: np.ndarray, fold: np.ndarray, params: LeakageParams
) -> tuple[float, float]:
    """AUC of out-of-fold smoothed rates per code: all rows, and filled rows only.

    Works on (fold, code) cells, not rows: every row of a cell gets the same score.
    """
    k = params.folds
    n_codes = int(codes.max()) + 1 if len(codes) else 1
    cell = fold * n_codes + codes
    pos = np.bincount(cell, weights=labels, minlength=k * n_codes).reshape(k, n_codes)
    count = np.bincount(cell, minlength=k * n_codes).reshape(k, n_codes).astype("float64")
    prior = labels.mean()
    train_pos = pos.sum(axis=0) - pos
    train_count = count.sum(axis=0) - count
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (train_pos + params.smoothing * prior) / (train_count + params.smoothing)
    rate = np.where(train_count + params.smoothing > 0, rate, prior)

    used = count.ravel() > 0
    score, cell_pos = rate.ravel()[used], pos.ravel()[used]
    cell_neg = count.ravel()[used] - cell_pos
    missing_code = n_codes - 1 if missing.any() else -1
    is_filled = (np.tile(np.arange(n_codes), k)[used]) != missing_code
    return _grouped_auc(score, cell_pos, cell_neg), _grouped_auc(
        score[is_filled], cell_pos[is_filled], cell_neg[is_filled]
    )


def _grouped_auc(score: np.ndarray, pos: np.ndarray, neg: np.ndarray) -> float:
    """AUC of scores carried by groups of rows (pos and neg rows per group), ties counted half."""
    n1, n0 = pos.sum(), neg.sum()
    if not n1 or not n0:
        return np.nan
    uniq, inverse = np.unique(score, return_inverse=True)
    pos_u = np.bincount(inverse, weights=pos, minlength=len(uniq))
    neg_u = np.bincount(inverse, weights=neg, minlength=len(uniq))
    return float(_wins(pos_u, neg_u) / (n1 * n0))


def _wins(pos: np.ndarray, neg: np.ndarray) -> float:
    """Mann-Whitney count for groups in ascending score order: negatives below each positive, ties half."""
    below = np.cumsum(neg) - neg
    return float(np.sum(pos * (below + 0.5 * neg)))


def _best(*aucs: float) -> float:
    known = [a for a in aucs if not np.isnan(a)]
    return float(max(known)) if known else np.nan


def _orientation_free(auc: float) -> float:
    return max(auc, 1.0 - auc)
