"""From raw contract rows to p_accept, score, tier, reasons and score_error.

One function, `score_frame`, used by the MLflow model (and so by `mlflow models serve`)
and by `leadsift score`: the same code scores a single posted row and a million-row file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.features.contract import LEAD_ID, Parsed, join_notes, parse_contract
from leadsift.models.bundle import ModelBundle
from leadsift.models.reasons import ListFacts
from leadsift.params import DataParams, TierParams

OUTPUT_COLUMNS = ("p_accept", "score", "tier", "reasons", "score_error")


def assign_tiers(p: np.ndarray, tiers: TierParams) -> np.ndarray:
    """A/B/C/D from probability cutoffs; NaN -> empty."""
    p = np.asarray(p, dtype="float64")
    out = np.full(len(p), "D", dtype=object)
    out[p >= tiers.C] = "C"
    out[p >= tiers.B] = "B"
    out[p >= tiers.A] = "A"
    out[np.isnan(p)] = ""
    return out


def capacity_tiers(p: np.ndarray, capacity: int, tiers: TierParams) -> np.ndarray:
    """The top `capacity` leads are A; the rest get the cutoff tiers, capped at B."""
    out = assign_tiers(p, tiers)
    out[out == "A"] = "B"
    scored = np.flatnonzero(~np.isnan(p))
    order = scored[np.argsort(-p[scored], kind="stable")]
    out[order[:capacity]] = "A"
    return out


def _unscorable(raw: pd.DataFrame, parsed: Parsed, input_columns: tuple[str, ...]) -> pd.Series:
    """Rows with nothing to score: every model input is empty."""
    cols = [c for c in input_columns if c in parsed.typed.columns and c not in (LEAD_ID, "source")]
    if not cols:
        return pd.Series(True, index=raw.index)
    return parsed.typed[cols].isna().all(axis=1)


def contact_hashes(email: pd.Series) -> np.ndarray:
    """Stable 64-bit hashes of normalized e-mail addresses (no address is stored in the model)."""
    norm = email.astype("str").str.strip().str.lower().where(email.notna())
    norm = norm[norm.notna() & (norm != "")]
    return np.asarray(pd.util.hash_pandas_object(norm, index=False), dtype="uint64")


SIGNALS = ("personal_email", "non_decision_maker", "under_10_employees", "outside_icp", "no_phone",
           "duplicate_in_list", "known_contact")


def _signals(bundle: ModelBundle, typed: pd.DataFrame, feats: pd.DataFrame, dup: pd.Series) -> pd.DataFrame:
    """Per-row list-quality signals (booleans) for the list verdict."""
    seniority = feats["seniority"]
    known = pd.Series(False, index=typed.index)
    if "email" in typed.columns and len(bundle.known_contacts):
        email = typed["email"]
        has = email.notna() & (email.astype("str").str.strip() != "")
        if bool(has.any()):
            hashes = contact_hashes(email[has])
            pos = np.searchsorted(bundle.known_contacts, hashes)
            pos = np.minimum(pos, len(bundle.known_contacts) - 1)
            known[has] = bundle.known_contacts[pos] == hashes
    return pd.DataFrame(
        {
            "personal_email": feats["email_kind"] == "personal",
            "non_decision_maker": (feats["decision_maker"] == 0) & (seniority != "unknown"),
            "under_10_employees": feats["employees"] < 10,
            "outside_icp": feats["icp_fit_count"] < 3,
            "no_phone": feats["phone_quality"] != "ok",
            "duplicate_in_list": dup,
            "known_contact": known,
        },
        index=typed.index,
    )


def id_hashes(ids: pd.Series) -> np.ndarray:
    """Stable 64-bit hashes of lead_ids, spaces around them ignored, to find duplicates across chunks in little memory."""
    return np.asarray(pd.util.hash_pandas_object(ids.astype("str").str.strip().fillna(""), index=False), dtype="uint64")


def score_details(
    bundle: ModelBundle,
    raw: pd.DataFrame,
    now: pd.Timestamp,
    with_reasons: bool = True,
    earlier_ids: list[np.ndarray] | None = None,
    data: DataParams | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score rows and return (OUTPUT_COLUMNS frame, per-row list signals).

    `now` (naive UTC): a created_at more than a day after it is noted and scored as of `now`.
    `earlier_ids`: sorted arrays of `id_hashes` of the same list's earlier rows (a row found in any is a duplicate).
    `data`: the list's number and date conventions (params.yaml `data:`); default: detected.
    """
    f = bundle.builder.params
    data = data or DataParams()
    parsed = parse_contract(raw, f.extra_numeric, f.extra_categorical, f.history_keys,
                            decimal=data.decimal, dayfirst=data.dayfirst)
    typed = parsed.typed
    notes: list[tuple[pd.Series, str]] = []
    dup = pd.Series(False, index=raw.index)
    if LEAD_ID in typed.columns:
        ids = typed[LEAD_ID]
        dup = ids.notna() & ids.duplicated(keep="first")
        if earlier_ids:
            h = id_hashes(ids)
            for earlier in earlier_ids:
                if len(earlier):
                    pos = np.minimum(np.searchsorted(earlier, h), len(earlier) - 1)
                    dup |= ids.notna() & (earlier[pos] == h)
        notes.append((dup, "lead_id: duplicate of an earlier row in this list"))
    for column in ("lead_id", "source"):
        if column not in raw.columns:
            notes.append((pd.Series(True, index=raw.index), f"{column}: column missing"))
    empty = _unscorable(raw, parsed, bundle.input_columns)
    notes.append((empty, "not scored: every lead field is empty"))
    if bundle.builder.use_history and "created_at" in typed.columns:
        future = typed["created_at"] > now + pd.Timedelta(days=1)
        notes.append((future, "created_at: in the future, scored as of the list's date"))
        typed = typed.assign(created_at=typed["created_at"].where(~future, now))
    problems = parsed.problems
    extra = join_notes(raw.index, notes)
    score_error = np.where(
        (problems != "") & (extra != ""), problems + "; " + extra, np.where(problems != "", problems, extra)
    )

    feats = bundle.builder.raw_features(typed)
    X = bundle.builder.matrix(feats)
    p = np.full(len(X), np.nan)
    reasons = pd.Series("", index=raw.index, dtype="str")
    if len(X):
        if list(X.columns) != list(bundle.columns):
            raise ValueError("feature columns differ from the model's; the bundle is inconsistent")
        raw_score, contrib = bundle.explain(X)
        follow = bundle.calibrator.follow
        p = bundle.calibrator(raw_score, feats[follow].to_numpy() if follow else None)
        p[empty.to_numpy()] = np.nan
        if with_reasons:
            reasons = bundle.reasoner.reasons(contrib, feats, ListFacts.of(typed, f.missing_values))
            reasons[empty] = ""
    score = np.round(p * 100)
    out = pd.DataFrame(
        {
            "p_accept": p,
            "score": pd.array(np.where(np.isnan(score), np.nan, score), dtype="Int64"),
            "tier": assign_tiers(p, bundle.tiers),
            "reasons": reasons,
            "score_error": pd.Series(score_error, index=raw.index, dtype="str"),
        },
        index=raw.index,
    )
    return out, _signals(bundle, typed, feats, dup)


def score_frame(
    bundle: ModelBundle, raw: pd.DataFrame, now: pd.Timestamp | None = None, with_reasons: bool = True
) -> pd.DataFrame:
    """Score contract rows (text or typed cells). Returns OUTPUT_COLUMNS, one row per input row, same index.

    `now`: naive UTC; default the current UTC time (a single lead posted to the served model).
    """
    now = pd.Timestamp.now(tz="UTC").tz_localize(None) if now is None else now
    return score_details(bundle, raw, now, with_reasons)[0]


def score_in_chunks(
    bundle: ModelBundle, raw: pd.DataFrame, chunk_rows: int, now: pd.Timestamp | None = None, with_reasons: bool = True
) -> pd.DataFrame:
    """`score_frame` over `chunk_rows` rows at a time (memory stays flat on a large history), same index."""
    parts = [score_frame(bundle, raw.iloc[start : start + chunk_rows], now, with_reasons)
             for start in range(0, len(raw), chunk_rows)]
    return pd.concat(parts) if parts else pd.DataFrame(columns=list(OUTPUT_COLUMNS))
