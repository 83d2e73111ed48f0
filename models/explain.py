"""Per-lead reasons from the model's own contributions, cheap enough for every row of a big list.

LightGBM's exact SHAP (`pred_contrib=True`) costs about 100 plain predictions. We use
path attributions instead (Saabas): in each tree, the change of the node value at each
split on the way to the leaf is credited to that split's feature. They depend only on
the leaf a row lands in, so a table per (tree, leaf) is computed once from the model.
Scoring then walks each row down every tree once, in compiled code (numba), and adds the
table entries of the leaf it reaches: one pass gives both the raw score (bias plus the
sum of contributions, equal to LightGBM's own to rounding) and every contribution, with
no n x trees leaf matrix in memory. tests/model/test_explain.py checks the raw scores
against LightGBM and the attributions against exact SHAP in sign and ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numba
import numpy as np
import pandas as pd

_NUMERIC, _CATEGORICAL = 0, 1
_MISSING = {"None": 0, "Zero": 1, "NaN": 2}


@dataclass(frozen=True)
class PathTables:
    """The trees as flat arrays, and per-leaf attributions (leaf g owns entries ptr[g]:ptr[g+1])."""

    feature_names: tuple[str, ...]
    tree_root: np.ndarray     # int64 per tree: a node id, or ~leaf for a one-leaf tree
    node_feature: np.ndarray  # int64
    node_threshold: np.ndarray  # float64 (numeric splits)
    node_kind: np.ndarray     # int8: numeric or categorical
    node_default_left: np.ndarray  # bool
    node_missing: np.ndarray  # int8: None / Zero / NaN
    node_left: np.ndarray     # int64: child node id, or ~leaf
    node_right: np.ndarray
    cat_start: np.ndarray     # int64: categorical split's categories in cat_values[start:end]
    cat_end: np.ndarray
    cat_values: np.ndarray    # int64
    ptr: np.ndarray           # int64
    feature: np.ndarray       # int64
    value: np.ndarray         # float64
    bias: float               # sum of the trees' root values


def path_tables(booster: lgb.Booster) -> PathTables:
    """Walk every tree once: flatten its splits and tabulate each leaf's path attributions."""
    dump = booster.dump_model()
    names = tuple(dump["feature_names"])
    nodes: dict[str, list] = {k: [] for k in ("feature", "threshold", "kind", "default_left", "missing", "left", "right", "cat_start", "cat_end")}
    cat_values: list[int] = []
    roots: list[int] = []
    leaf_paths: list[dict[int, float]] = []
    bias = 0.0

    def add_leaf(path: dict[int, float]) -> int:
        leaf_paths.append(path)
        return ~(len(leaf_paths) - 1)

    def add_node(node: dict, path: dict[int, float]) -> int:
        """Depth-first: returns this node's id (or ~leaf id)."""
        if "leaf_value" in node:
            return add_leaf(path)
        me = len(nodes["feature"])
        f = int(node["split_feature"])
        nodes["feature"].append(f)
        if node["decision_type"] == "==":
            cats = [int(c) for c in str(node["threshold"]).split("||") if c != ""]
            nodes["kind"].append(_CATEGORICAL)
            nodes["threshold"].append(0.0)
            nodes["cat_start"].append(len(cat_values))
            cat_values.extend(sorted(cats))
            nodes["cat_end"].append(len(cat_values))
        else:
            nodes["kind"].append(_NUMERIC)
            nodes["threshold"].append(float(node["threshold"]))
            nodes["cat_start"].append(0)
            nodes["cat_end"].append(0)
        nodes["default_left"].append(bool(node.get("default_left", True)))
        nodes["missing"].append(_MISSING.get(str(node.get("missing_type", "None")), 0))
        nodes["left"].append(0)
        nodes["right"].append(0)
        for side in ("left_child", "right_child"):
            child = node[side]
            child_value = child["leaf_value"] if "leaf_value" in child else child["internal_value"]
            step = dict(path)
            step[f] = step.get(f, 0.0) + float(child_value) - float(node["internal_value"])
            nodes["left" if side == "left_child" else "right"][me] = add_node(child, step)
        return me

    for tree in dump["tree_info"]:
        root = tree["tree_structure"]
        if "leaf_value" in root:
            bias += float(root["leaf_value"])
        else:
            bias += float(root["internal_value"])
        roots.append(add_node(root, {}))

    ptr = [0]
    feats: list[int] = []
    vals: list[float] = []
    for path in leaf_paths:
        for f, v in sorted(path.items()):
            feats.append(f)
            vals.append(v)
        ptr.append(len(feats))
    i64 = lambda x: np.asarray(x, dtype="int64")  # noqa: E731
    return PathTables(
        feature_names=names,
        tree_root=i64(roots),
        node_feature=i64(nodes["feature"]),
        node_threshold=np.asarray(nodes["threshold"], dtype="float64"),
        node_kind=np.asarray(nodes["kind"], dtype="int8"),
        node_default_left=np.asarray(nodes["default_left"], dtype="bool"),
        node_missing=np.asarray(nodes["missing"], dtype="int8"),
        node_left=i64(nodes["left"]),
        node_right=i64(nodes["right"]),
        cat_start=i64(nodes["cat_start"]),
        cat_end=i64(nodes["cat_end"]),
        cat_values=i64(cat_values),
        ptr=i64(ptr),
        feature=i64(feats),
        value=np.asarray(vals, dtype="float64"),
        bias=bias,
    )


@numba.njit(parallel=True, cache=True)
def _walk(X, roots, feat, thr, kind, dleft, miss, left, right, cstart, cend, cvals, ptr, pfeat, pval):  # pragma: no cover
    n = X.shape[0]
    out = np.zeros((n, X.shape[1]), dtype=np.float64)
    for r in numba.prange(n):
        for t in range(roots.shape[0]):
            node = roots[t]
            while node >= 0:
                v = X[r, feat[node]]
                if kind[node] == 0:
                    m = miss[node]
                    if np.isnan(v) and m != 2:
                        v = 0.0
                    if (m == 1 and abs(v) <= 1e-35) or (m == 2 and np.isnan(v)):
                        go_left = dleft[node]
                    else:
                        go_left = v <= thr[node]
                else:
                    go_left = False
                    if not np.isnan(v):
                        iv = int(v)
                        if iv >= 0:
                            for k in range(cstart[node], cend[node]):
                                if cvals[k] == iv:
                                    go_left = True
                                    break
                node = left[node] if go_left else right[node]
            leaf = ~node
            for k in range(ptr[leaf], ptr[leaf + 1]):
                out[r, pfeat[k]] += pval[k]
    return out


def model_array(X: pd.DataFrame) -> np.ndarray:
    """The matrix LightGBM sees: numbers as float64, categoricals as their codes (missing -> NaN)."""
    out = np.empty((len(X), X.shape[1]), dtype="float64")
    for j, name in enumerate(X.columns):
        col = X[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy().astype("float64")
            codes[codes < 0] = np.nan
            out[:, j] = codes
        else:
            out[:, j] = col.to_numpy(dtype="float64", na_value=np.nan)
    return out


def explain(tables: PathTables, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Raw scores (log-odds) and rows x features attributions, in one walk down the trees."""
    if not len(X):
        return np.empty(0), np.empty((0, X.shape[1]))
    t = tables
    contrib = _walk(
        model_array(X), t.tree_root, t.node_feature, t.node_threshold, t.node_kind, t.node_default_left,
        t.node_missing, t.node_left, t.node_right, t.cat_start, t.cat_end, t.cat_values, t.ptr, t.feature, t.value,
    )
    return t.bias + contrib.sum(axis=1), contrib


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
    "source_accept_rate_recent": "source", "source_won_rate_recent": "source",
    "source_outcomes": "source", "source_prior_leads": "source", "source_recent_leads": "source",
    "source_type": "source_type", "source_type_accept_rate": "source_type", "source_type_won_rate": "source_type",
    "source_type_accept_rate_recent": "source_type", "source_type_won_rate_recent": "source_type",
    "phone_quality": "phone",
    "junk_name": "name", "name_missing": "name",
    "page_views": "page_views", "form_fills": "form_fills", "email_clicks": "email_clicks",
    "webinar_attended": "webinar", "days_since_activity": "recency", "created_weekday": "weekday",
    "budget": "bant", "authority": "bant", "need": "bant", "timing": "bant",
    "bant_answered": "bant", "bant_yes": "bant",
}


def family_of(feature: str) -> str:
    if feature in FAMILIES:
        return FAMILIES[feature]
    for suffix in ("_accept_rate_recent", "_won_rate_recent", "_accept_rate", "_won_rate", "_outcomes",
                   "_prior_leads", "_recent_leads"):
        if feature.endswith(suffix):
            return feature[: -len(suffix)] + "_history"
    return feature


def _fmt(values: pd.Series, fmt: str, missing: str = "?") -> pd.Series:
    """Format numbers once per distinct value (lists repeat values a lot)."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    codes, uniques = pd.factorize(v, use_na_sentinel=True)
    texts = np.array([fmt.format(u) for u in uniques] + [missing], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="str")


def _int(values: pd.Series) -> pd.Series:
    return _fmt(pd.to_numeric(values, errors="coerce").fillna(0), "{:,.0f}")


def _pct(values: pd.Series) -> pd.Series:
    return _fmt(values * 100, "{:.0f}") + "%"


def _plain(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return _fmt(values, "{:,.4g}", "unknown")
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
        text = sign + "company of " + _fmt(n, "{:,.0f}") + " employees"
        return text.where(n.notna(), sign + "company size unknown")
    if family == "revenue":
        r = get("annual_revenue")
        text = sign + "annual revenue " + _fmt(r, "{:,.0f}")
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
    if family == "weekday":
        names = {0: "Monday", 1: "Tuesday", 2: "Wednesday", 3: "Thursday", 4: "Friday", 5: "Saturday", 6: "Sunday"}
        day = get("created_weekday").map(names)
        return (sign + "came in on a " + day.astype("str")).where(day.notna(), sign + "day of capture unknown")
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
