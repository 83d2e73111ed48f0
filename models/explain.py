"""Per-lead reasons from the model's own contributions, cheap enough for every row of a big list.

LightGBM's exact SHAP (`pred_contrib=True`) costs about 100 plain predictions. We use
path attributions instead (Saabas): in each tree, the change of the node value at each
split on the way to the leaf is credited to that split's feature. They depend only on
the leaf a row lands in, so a table per (tree, leaf) is computed once from the model,
and a row's contributions are a sum of table entries looked up through its predicted
leaf indices. They sum exactly to the raw score, like SHAP, and agree with it in sign
and ranking on the strongest features (tests/model/test_explain.py checks this).
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numba
import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PathTables:
    """Per-leaf attributions in compressed rows: leaf g owns entries ptr[g]:ptr[g+1]."""

    feature_names: tuple[str, ...]
    tree_offset: np.ndarray  # int64, first global leaf id of each tree
    ptr: np.ndarray          # int64
    feature: np.ndarray      # int32
    value: np.ndarray        # float64
    bias: float              # sum of the trees' root values


def path_tables(booster: lgb.Booster) -> PathTables:
    """Walk every tree once and tabulate each leaf's path attributions."""
    dump = booster.dump_model()
    names = tuple(dump["feature_names"])
    offsets: list[int] = []
    ptr: list[int] = [0]
    feats: list[int] = []
    vals: list[float] = []
    bias = 0.0
    total = 0
    for tree in dump["tree_info"]:
        root = tree["tree_structure"]
        n_leaves = int(tree["num_leaves"])
        offsets.append(total)
        per_leaf: list[dict[int, float]] = [dict() for _ in range(n_leaves)]
        if "leaf_value" in root:
            bias += float(root["leaf_value"])
        else:
            bias += float(root["internal_value"])
            stack = [(root, {})]
            while stack:
                node, path = stack.pop()
                for side in ("left_child", "right_child"):
                    child = node[side]
                    child_value = child["leaf_value"] if "leaf_value" in child else child["internal_value"]
                    step = dict(path)
                    f = int(node["split_feature"])
                    step[f] = step.get(f, 0.0) + float(child_value) - float(node["internal_value"])
                    if "leaf_value" in child:
                        per_leaf[int(child.get("leaf_index", 0))] = step
                    else:
                        stack.append((child, step))
        for leaf in per_leaf:
            for f, v in sorted(leaf.items()):
                feats.append(f)
                vals.append(v)
            ptr.append(len(feats))
        total += n_leaves
    return PathTables(
        names,
        np.asarray(offsets, dtype="int64"),
        np.asarray(ptr, dtype="int64"),
        np.asarray(feats, dtype="int32"),
        np.asarray(vals, dtype="float64"),
        bias,
    )


@numba.njit(parallel=True, cache=True)
def _sum_paths(leaves, tree_offset, ptr, feature, value, n_features):  # pragma: no cover - compiled
    n, trees = leaves.shape
    out = np.zeros((n, n_features), dtype=np.float64)
    for r in numba.prange(n):
        for t in range(trees):
            g = tree_offset[t] + leaves[r, t]
            for k in range(ptr[g], ptr[g + 1]):
                out[r, feature[k]] += value[k]
    return out


def contributions(tables: PathTables, leaves: np.ndarray) -> np.ndarray:
    """Rows x features attributions in log-odds from predicted leaf indices (n x trees)."""
    leaves = np.ascontiguousarray(leaves, dtype=np.int64)
    return _sum_paths(leaves, tables.tree_offset, tables.ptr, tables.feature, tables.value, len(tables.feature_names))


# --- plain-language reasons ------------------------------------------------------------

#: feature -> family; a family's contributions are added up and phrased once.
FAMILIES: dict[str, str] = {
    "demo_requested": "demo",
    "account_recent_contacts": "committee",
    "account_prior_leads": "account", "account_prior_decided": "account",
    "account_prior_accepted": "account", "account_prior_won": "account", "account_is_customer": "account",
    "email_kind": "email",
    "employees": "size", "icp_size_fit": "size",
    "annual_revenue": "revenue",
    "industry": "industry", "icp_industry_fit": "industry",
    "country": "country", "icp_country_fit": "country",
    "icp_fit_count": "icp",
    "seniority": "title", "job_function": "title", "decision_maker": "title",
    "source": "source", "source_accept_rate": "source", "source_won_rate": "source",
    "source_outcomes": "source", "source_prior_leads": "source",
    "source_type": "source_type", "source_type_accept_rate": "source_type", "source_type_won_rate": "source_type",
    "phone_quality": "phone",
    "junk_name": "name", "name_missing": "name",
    "page_views": "page_views", "form_fills": "form_fills", "email_clicks": "email_clicks",
    "webinar_attended": "webinar", "days_since_activity": "recency",
    "budget": "bant", "authority": "bant", "need": "bant", "timing": "bant",
    "bant_answered": "bant", "bant_yes": "bant",
}


def family_of(feature: str) -> str:
    if feature in FAMILIES:
        return FAMILIES[feature]
    if feature.endswith("_accept_rate") or feature.endswith("_won_rate"):
        return feature.rsplit("_", 2)[0] + "_history"
    return feature


def _int(values: pd.Series) -> pd.Series:
    return values.fillna(0).round().astype("int64").astype("str")


def _pct(values: pd.Series) -> pd.Series:
    pct = (values * 100).round(0)
    return pct.astype("Int64").astype("str").where(values.notna(), "?") + "%"


def _plain(values: pd.Series) -> pd.Series:
    text = values.astype("str")
    return text.where(values.notna(), "unknown")


def phrase(family: str, rows: pd.DataFrame, positive: bool, window_days: float, target: str) -> pd.Series:
    """Words a sales rep understands for one family's effect on these rows."""
    sign = "+ " if positive else "- "
    idx = rows.index
    outcome = "won" if target == "won" else "accepted"

    def get(col: str) -> pd.Series:
        return rows[col] if col in rows.columns else pd.Series(np.nan, index=idx)

    if family == "demo":
        yes = get("demo_requested") == 1
        return pd.Series(np.where(yes, sign + "asked for a demo", sign + "did not ask for a demo"), index=idx)
    if family == "committee":
        n = get("account_recent_contacts")
        text = sign + _int(n) + f" other contacts from this company in the last {window_days:g} days"
        return text.where(n.fillna(0) > 0, sign + f"no other contacts from this company in the last {window_days:g} days")
    if family == "account":
        won, acc, leads = get("account_prior_won"), get("account_prior_accepted"), get("account_prior_leads")
        text = pd.Series(sign + "first lead from this company", index=idx)
        text = text.where(~(leads.fillna(0) > 0), sign + _int(leads) + " earlier leads from this company, " + _int(acc) + " accepted")
        return text.where(~(won.fillna(0) > 0), sign + "existing customer: " + _int(won) + " deal(s) won before")
    if family == "email":
        kinds = {"personal": "personal e-mail address", "company_match": "company e-mail address",
                 "company_other": "e-mail domain differs from the company's", "invalid": "e-mail address is not valid",
                 "missing": "no e-mail address"}
        return sign + get("email_kind").astype("str").map(kinds).fillna("e-mail address")
    if family == "size":
        n = get("employees")
        text = sign + "company of " + n.round().astype("Int64").map("{:,}".format, na_action="ignore").fillna("?") + " employees"
        return text.where(n.notna(), sign + "company size unknown")
    if family == "revenue":
        r = get("annual_revenue")
        text = sign + "annual revenue " + r.map("{:,.0f}".format, na_action="ignore").fillna("?")
        return text.where(r.notna(), sign + "annual revenue unknown")
    if family in ("industry", "country"):
        return sign + family + ": " + _plain(get(family))
    if family == "icp":
        return sign + "meets " + _int(get("icp_fit_count")) + " of 3 ideal-customer criteria"
    if family == "title":
        level = get("seniority").astype("str")
        words = {"c_level": "C-level title", "vp": "VP title", "director": "director title", "head": "head-of title",
                 "manager": "manager title", "senior_ic": "senior individual contributor", "individual": "non-decision-maker title", "entry": "junior or assistant title",
                 "owner": "owner or founder", "student": "student or intern", "other": "title suggests no buying role",
                 "unknown": "no job title"}
        return sign + level.map(words).fillna("job title")
    if family == "source":
        if "source_accept_rate" not in rows.columns:
            return sign + "source: " + _plain(get("source"))
        rate = get("source_won_rate") if target == "won" else get("source_accept_rate")
        seen = get("source_prior_leads").fillna(0) > 0
        text = sign + "its source had " + _pct(rate) + f" of past leads {outcome}"
        return text.where(seen, sign + "a source with no history yet")
    if family == "source_type":
        return sign + "channel: " + _plain(get("source_type"))
    if family == "phone":
        words = {"missing": "no phone number", "invalid": "phone number looks fake", "ok": "phone number given"}
        return sign + get("phone_quality").astype("str").map(words).fillna("phone")
    if family == "name":
        junk = get("junk_name") == 1
        missing = get("name_missing") == 1
        text = pd.Series(sign + "real name given", index=idx)
        text = text.where(~missing, sign + "no name given")
        return text.where(~junk, sign + "name looks made up")
    if family in ("page_views", "form_fills", "email_clicks"):
        label = {"page_views": "page views", "form_fills": "forms filled", "email_clicks": "e-mail clicks"}[family]
        return sign + _int(get(family)) + " " + label
    if family == "webinar":
        yes = get("webinar_attended") == 1
        return pd.Series(np.where(yes, sign + "attended a webinar", sign + "did not attend a webinar"), index=idx)
    if family == "recency":
        d = get("days_since_activity")
        text = sign + "last activity " + _int(d) + " days before capture"
        return text.where(d.notna(), sign + "no recorded activity")
    if family == "bant":
        return sign + "BANT: " + _int(get("bant_yes")) + " of 4 confirmed, " + _int(get("bant_answered")) + " answered"
    if family.endswith("_history"):
        key = family[: -len("_history")]
        rate = get(f"{key}_won_rate") if target == "won" else get(f"{key}_accept_rate")
        return sign + f"{key} had " + _pct(rate) + f" of past leads {outcome}"
    return sign + family + ": " + _plain(get(family))


@dataclass(frozen=True)
class Reasoner:
    """Turns contributions into the `reasons` text, strongest for and against first."""

    feature_names: tuple[str, ...]
    families: tuple[str, ...]
    family_index: np.ndarray  # feature -> family position
    top: int
    window_days: float
    target: str
    min_effect: float = 0.05  # log-odds; weaker effects are not worth a rep's attention

    @classmethod
    def build(cls, feature_names: tuple[str, ...], top: int, window_days: float, target: str) -> Reasoner:
        fams = [family_of(f) for f in feature_names]
        families = tuple(dict.fromkeys(fams))
        index = np.asarray([families.index(f) for f in fams], dtype="int64")
        return cls(feature_names, families, index, top, window_days, target)

    def family_contributions(self, contrib: np.ndarray) -> np.ndarray:
        out = np.zeros((contrib.shape[0], len(self.families)))
        for j in range(len(self.families)):
            out[:, j] = contrib[:, self.family_index == j].sum(axis=1)
        return out

    def reasons(self, contrib: np.ndarray, raw_features: pd.DataFrame) -> pd.Series:
        """One string per row: up to `top` '+ ...' reasons, then up to `top` '- ...' reasons."""
        fam = self.family_contributions(contrib)
        n = fam.shape[0]
        parts: list[np.ndarray] = []
        order_pos = np.argsort(-fam, axis=1, kind="stable")[:, : self.top]
        order_neg = np.argsort(fam, axis=1, kind="stable")[:, : self.top]
        rows = np.arange(n)
        for order, positive in ((order_pos, True), (order_neg, False)):
            for k in range(order.shape[1]):
                pick = order[:, k]
                effect = fam[rows, pick]
                ok = effect > self.min_effect if positive else effect < -self.min_effect
                text = np.full(n, "", dtype=object)
                for j in np.unique(pick[ok]):
                    sel = ok & (pick == j)
                    sub = raw_features.iloc[np.flatnonzero(sel)]
                    text[sel] = phrase(self.families[j], sub, positive, self.window_days, self.target).to_numpy(dtype=object)
                parts.append(text)
        joined = np.full(n, "", dtype=object)
        for text in parts:
            has = text != ""
            joined = np.where(has & (joined != ""), joined + "; " + text, np.where(has, text, joined))
        return pd.Series(joined, index=raw_features.index, dtype="str")
