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

The tables are read from LightGBM's model text (booster.txt) and hold exactly the numbers
LightGBM itself holds after loading that text, without importing LightGBM, whose import
(scikit-learn, scipy) would cost more than scoring a list. tests/model/test_model_text.py
checks them against LightGBM's `dump_model`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd

_NUMERIC, _CATEGORICAL = 0, 1
# decision_type bits (include/LightGBM/tree.h): categorical, default left, then the missing type in bits 2-3
_CATEGORICAL_MASK, _DEFAULT_LEFT_MASK = 1, 2


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


@dataclass(frozen=True)
class _Tree:
    """One `Tree=` block of the model text: node i's split, its children (node id, or ~leaf), the values."""

    split_feature: list[int]
    threshold: list[float]
    decision_type: list[int]
    left_child: list[int]
    right_child: list[int]
    leaf_value: list[float]
    internal_value: list[float]
    categories: dict[int, list[int]]  # per categorical node: the categories that go left, ascending


def path_tables(model_text: str) -> PathTables:
    """Walk every tree of LightGBM's model text once: flatten its splits and tabulate each leaf's attributions."""
    names, trees = _read_model_text(model_text)
    flat = _Flat()
    for tree in trees:
        flat.add_tree(tree)
    return flat.tables(names)


def _read_model_text(text: str) -> tuple[tuple[str, ...], list[_Tree]]:
    """The feature names and trees of a binary LightGBM model (`model_to_string()`, booster.txt)."""
    body, found, _ = text.partition("\nend of trees")  # the tail: importances, parameters, pandas_categorical
    if not found:
        raise ValueError("not a LightGBM model text: it has no 'end of trees' line")
    head, *blocks = body.split("\nTree=")
    header = _key_values(head)
    _check_supported(header)
    trees = [_read_tree(_key_values(block)) for block in blocks]
    return tuple(header.get("feature_names", "").split()), trees


def _unsupported(what: str) -> ValueError:
    return ValueError(f"the model has {what}, which the tree walk does not read: leadsift trains binary "
                      "models with plain trees only, so this is a bug to report (or a model from elsewhere)")


def _key_values(block: str) -> dict[str, str]:
    """`key=value` lines (the value may hold '=', as feature names may); a bare `key` line (average_output) maps to ""."""
    pairs = (line.partition("=") for line in block.splitlines())
    return {key: value for key, _, value in pairs}


def _check_supported(header: dict[str, str]) -> None:
    num_class = int(header.get("num_class", "1"))
    per_iteration = int(header.get("num_tree_per_iteration", num_class))  # LightGBM's default when absent
    if num_class != 1 or per_iteration != 1:
        raise _unsupported(f"{num_class} classes and {per_iteration} trees per iteration (multiclass)")
    if "average_output" in header:
        raise _unsupported("averaged trees (average_output: random forest)")


def _read_tree(kv: dict[str, str]) -> _Tree:
    """As Tree::Tree(const char*) in src/io/tree.cpp reads it; a one-leaf tree has only its leaf value."""
    if kv.get("is_linear", "0") != "0":
        raise _unsupported("linear trees (is_linear=1)")
    leaf_value = [float(s) for s in kv["leaf_value"].split()]
    if int(kv["num_leaves"]) <= 1:
        return _Tree([], [], [], [], [], leaf_value, [], {})
    ints = {k: [int(s) for s in kv.get(k, "").split()] for k in ("split_feature", "decision_type", "left_child",
                                                                 "right_child", "cat_boundaries", "cat_threshold")}
    threshold = [float(s) for s in kv["threshold"].split()]
    categories = {
        i: _bitset_members(ints["cat_threshold"], ints["cat_boundaries"], int(threshold[i]))
        for i, kind in enumerate(ints["decision_type"]) if kind & _CATEGORICAL_MASK
    }
    return _Tree(
        split_feature=ints["split_feature"],
        threshold=[_avoid_inf(t) for t in threshold],  # as dump_model prints it (Common::AvoidInf)
        decision_type=ints["decision_type"],
        left_child=ints["left_child"],
        right_child=ints["right_child"],
        leaf_value=leaf_value,
        internal_value=[_atof(s) for s in kv["internal_value"].split()],
        categories=categories,
    )


def _bitset_members(words: list[int], boundaries: list[int], index: int) -> list[int]:
    """The categories of split `index`: bit j of uint32 word w (counted from its first word) is category 32*w + j."""
    start, end = boundaries[index], boundaries[index + 1]
    return [32 * w + j for w, word in enumerate(words[start:end]) for j in range(32) if word >> j & 1]


def _avoid_inf(x: float) -> float:
    return 0.0 if math.isnan(x) else max(-1e300, min(1e300, x))


def _atof(text: str) -> float:
    """LightGBM's fast number reading (Common::Atof), which it uses for internal_value.

    It is not correctly rounded: `float()` can differ in the last bit from what the loaded model holds.
    """
    body = text.strip(" ").lower()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in ("-", "+") else body
    if body in ("na", "nan", "null"):
        return math.nan
    if body in ("inf", "infinity"):
        return sign * 1e308
    mantissa, _, exponent = body.partition("e")
    whole, _, frac = mantissa.partition(".")
    value = 0.0
    for digit in whole:
        value = value * 10.0 + int(digit)
    right = 0.0
    for digit in frac:
        right = int(digit) + right * 10.0
    value += right / _pow(10.0, len(frac))
    divide = exponent.startswith("-")
    expon = min(int(exponent.lstrip("+-") or "0"), 308)
    scale = 1.0
    for step, factor in ((50, 1e50), (8, 1e8), (1, 10.0)):
        while expon >= step:
            scale *= factor
            expon -= step
    return sign * (value / scale if divide else value * scale)


def _pow(base: float, power: int) -> float:
    """Common::Pow, product by product, so that the rounding is LightGBM's."""
    if power == 0:
        return 1.0
    if power % 2 == 0:
        return _pow(base * base, power // 2)
    if power % 3 == 0:
        return _pow(base * base * base, power // 3)
    return base * _pow(base, power - 1)


class _Flat:
    """The trees' splits and leaves as they are added, numbered depth first (left subtree, then right)."""

    _KEYS = ("feature", "threshold", "kind", "default_left", "missing", "left", "right", "cat_start", "cat_end")

    def __init__(self) -> None:
        self.nodes: dict[str, list] = {k: [] for k in self._KEYS}
        self.cat_values: list[int] = []
        self.roots: list[int] = []
        self.leaf_paths: list[dict[int, float]] = []
        self.bias = 0.0

    def add_tree(self, tree: _Tree) -> None:
        if not tree.split_feature:
            self.bias += tree.leaf_value[0]
            self.roots.append(self._leaf({}))
        else:
            self.bias += tree.internal_value[0]
            self.roots.append(self._node(tree, 0, {}))

    def _leaf(self, path: dict[int, float]) -> int:
        self.leaf_paths.append(path)
        return ~(len(self.leaf_paths) - 1)

    def _node(self, tree: _Tree, i: int, path: dict[int, float]) -> int:
        """Node i of `tree` and everything under it; returns its id."""
        me, f, decision = len(self.nodes["feature"]), tree.split_feature[i], tree.decision_type[i]
        cats = tree.categories.get(i)
        row = {"feature": f, "kind": _NUMERIC if cats is None else _CATEGORICAL,
               "threshold": tree.threshold[i] if cats is None else 0.0,
               "default_left": bool(decision & _DEFAULT_LEFT_MASK), "missing": decision >> 2 & 3,
               "left": 0, "right": 0, "cat_start": 0, "cat_end": 0}
        if cats is not None:
            row.update(cat_start=len(self.cat_values), cat_end=len(self.cat_values) + len(cats))
            self.cat_values.extend(cats)
        for key, value in row.items():
            self.nodes[key].append(value)
        for side, child in (("left", tree.left_child[i]), ("right", tree.right_child[i])):
            child_value = tree.leaf_value[~child] if child < 0 else tree.internal_value[child]
            step = dict(path)
            step[f] = step.get(f, 0.0) + child_value - tree.internal_value[i]
            self.nodes[side][me] = self._leaf(step) if child < 0 else self._node(tree, child, step)
        return me

    def tables(self, names: tuple[str, ...]) -> PathTables:
        ptr, feats, vals = [0], [], []
        for path in self.leaf_paths:
            for f, v in sorted(path.items()):
                feats.append(f)
                vals.append(v)
            ptr.append(len(feats))
        n = self.nodes
        i64 = lambda x: np.asarray(x, dtype="int64")  # noqa: E731
        return PathTables(
            feature_names=names, tree_root=i64(self.roots), node_feature=i64(n["feature"]),
            node_threshold=np.asarray(n["threshold"], dtype="float64"), node_kind=np.asarray(n["kind"], dtype="int8"),
            node_default_left=np.asarray(n["default_left"], dtype="bool"),
            node_missing=np.asarray(n["missing"], dtype="int8"), node_left=i64(n["left"]), node_right=i64(n["right"]),
            cat_start=i64(n["cat_start"]), cat_end=i64(n["cat_end"]), cat_values=i64(self.cat_values),
            ptr=i64(ptr), feature=i64(feats), value=np.asarray(vals, dtype="float64"), bias=self.bias,
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
