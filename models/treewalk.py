"""Raw scores and per-feature contributions in one compiled walk down the trees, cheap enough for every row.

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
    keys = ("feature", "threshold", "kind", "default_left", "missing", "left", "right", "cat_start", "cat_end")
    nodes: dict[str, list] = {k: [] for k in keys}
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
