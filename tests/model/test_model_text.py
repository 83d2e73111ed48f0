"""The path tables read from LightGBM's model text, against LightGBM's own `dump_model`, on small boosters.

`dump_tables` below is the walk over `Booster.dump_model()` the package used before it read the text:
the tables must equal it bit for bit on the booster LightGBM loads from the same text (which is also what
`lgb.train` hands back). The text prints internal values to 6 digits and LightGBM reads them back with a
parser that is not correctly rounded; the sample bundle's trees are where that shows (12 of its 528 internal
values differ from Python's `float()` in the last bit), so its tables are checked too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from leadsift.models.bundle import load_bundle, save_bundle
from leadsift.models.treewalk import PathTables, explain, path_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "samples" / "scoring"
BASE = {"objective": "binary", "verbosity": -1, "deterministic": True, "force_row_wise": True, "num_threads": 1,
        "seed": 1}
NUMBERS = ["a", "b", "c"]


def dump_tables(booster: lgb.Booster) -> PathTables:
    """The reference: path tables from `booster.dump_model()` (the package's former reader, unchanged)."""
    missing_types = {"None": 0, "Zero": 1, "NaN": 2}
    dump = booster.dump_model()
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
        if "leaf_value" in node:
            return add_leaf(path)
        me = len(nodes["feature"])
        f = int(node["split_feature"])
        nodes["feature"].append(f)
        if node["decision_type"] == "==":
            cats = [int(c) for c in str(node["threshold"]).split("||") if c != ""]
            nodes["kind"].append(1)
            nodes["threshold"].append(0.0)
            nodes["cat_start"].append(len(cat_values))
            cat_values.extend(sorted(cats))
            nodes["cat_end"].append(len(cat_values))
        else:
            nodes["kind"].append(0)
            nodes["threshold"].append(float(node["threshold"]))
            nodes["cat_start"].append(0)
            nodes["cat_end"].append(0)
        nodes["default_left"].append(bool(node.get("default_left", True)))
        nodes["missing"].append(missing_types.get(str(node.get("missing_type", "None")), 0))
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
        bias += float(root["leaf_value"] if "leaf_value" in root else root["internal_value"])
        roots.append(add_node(root, {}))

    ptr, feats, vals = [0], [], []
    for path in leaf_paths:
        for f, v in sorted(path.items()):
            feats.append(f)
            vals.append(v)
        ptr.append(len(feats))
    i64 = lambda x: np.asarray(x, dtype="int64")  # noqa: E731
    return PathTables(
        feature_names=tuple(dump["feature_names"]), tree_root=i64(roots), node_feature=i64(nodes["feature"]),
        node_threshold=np.asarray(nodes["threshold"], dtype="float64"), node_kind=np.asarray(nodes["kind"], dtype="int8"),
        node_default_left=np.asarray(nodes["default_left"], dtype="bool"),
        node_missing=np.asarray(nodes["missing"], dtype="int8"), node_left=i64(nodes["left"]),
        node_right=i64(nodes["right"]), cat_start=i64(nodes["cat_start"]), cat_end=i64(nodes["cat_end"]),
        cat_values=i64(cat_values), ptr=i64(ptr), feature=i64(feats), value=np.asarray(vals, dtype="float64"), bias=bias,
    )


def assert_same_tables(got: PathTables, want: PathTables) -> None:
    """Every array with the same dtype, shape and bytes; the bias and names equal."""
    for f in fields(PathTables):
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(b, np.ndarray):
            assert (a.dtype, a.shape) == (b.dtype, b.shape), f.name
            assert a.tobytes() == b.tobytes(), f.name
        else:
            assert a == b and type(a) is type(b), f.name


@dataclass(frozen=True)
class Case:
    booster: lgb.Booster
    X: pd.DataFrame
    covers: Callable[[PathTables], bool]  # the tables hold what the case is about


def _leads(n: int = 3_000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Three numbers (c partly NaN, b often zero) and a category of 100 values."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 5, n).astype("float64"), "c": rng.normal(size=n)})
    X.loc[rng.random(n) < 0.2, "c"] = np.nan
    X["cat"] = pd.Categorical(rng.integers(0, 100, n).astype(str))
    effect = rng.normal(size=100)
    logit = X["a"] - 0.5 * X["b"] + np.nan_to_num(X["c"], nan=1.0) + 2 * effect[X["cat"].cat.codes]
    return X, (logit + rng.logistic(size=n) > 0).to_numpy().astype(int)


def _train(params: dict, X: pd.DataFrame, y: np.ndarray, rounds: int, init: lgb.Booster | None = None) -> lgb.Booster:
    return lgb.train({**BASE, **params}, lgb.Dataset(X, y), rounds, init_model=init)


def _numeric(X: pd.DataFrame, y: np.ndarray) -> Case:
    X = X[NUMBERS].fillna(0.0)
    return Case(_train({"num_leaves": 15}, X, y, 20), X, lambda t: (t.node_kind == 0).all())


def _categorical(X: pd.DataFrame, y: np.ndarray) -> Case:
    # many categories per split, so that a split's bitset spans several uint32 words
    many = {"max_cat_to_onehot": 4, "min_data_per_group": 5, "cat_smooth": 1, "max_cat_threshold": 64, "num_leaves": 15}
    return Case(_train(many, X, y, 20), X, lambda t: t.cat_values.max() >= 32)


def _missing_nan(X: pd.DataFrame, y: np.ndarray) -> Case:
    return Case(_train({"num_leaves": 7}, X[NUMBERS], y, 10), X[NUMBERS], lambda t: 2 in t.node_missing)


def _missing_zero(X: pd.DataFrame, y: np.ndarray) -> Case:
    booster = _train({"num_leaves": 7, "zero_as_missing": True}, X[NUMBERS], y, 10)
    return Case(booster, X[NUMBERS], lambda t: 1 in t.node_missing)


def _one_leaf_first(X: pd.DataFrame, y: np.ndarray) -> Case:
    first = _train({"min_data_in_leaf": 10 * len(X)}, X[NUMBERS], y, 1)  # no split allowed: one leaf, the average
    booster = _train({"num_leaves": 7}, X[NUMBERS], y, 5, init=first)
    return Case(booster, X[NUMBERS], lambda t: t.tree_root[0] < 0 and (t.tree_root[1:] >= 0).all())


CASES = {"numeric": _numeric, "categorical": _categorical, "missing_nan": _missing_nan, "missing_zero": _missing_zero,
         "one_leaf_first": _one_leaf_first}


@pytest.fixture(scope="module")
def leads() -> tuple[pd.DataFrame, np.ndarray]:
    return _leads()


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest, leads: tuple[pd.DataFrame, np.ndarray]) -> Case:
    return CASES[request.param](*leads)


def test_each_case_has_what_it_is_about(case: Case) -> None:
    assert case.covers(path_tables(case.booster.model_to_string()))


def test_tables_from_the_text_equal_the_dump_of_the_booster_loaded_from_it(case: Case) -> None:
    text = case.booster.model_to_string()
    assert_same_tables(path_tables(text), dump_tables(lgb.Booster(model_str=text)))


def test_walk_gives_lightgbm_raw_score(case: Case) -> None:
    X = pd.concat([case.X, case.X.head(50).assign(**{c: np.nan for c in case.X.columns})], ignore_index=True)
    if "cat" in X.columns:
        X["cat"] = X["cat"].astype(case.X["cat"].dtype)  # NaN rows keep the category dtype
    raw, contrib = explain(path_tables(case.booster.model_to_string()), X)
    expected = case.booster.predict(X, raw_score=True)
    np.testing.assert_allclose(raw, expected, rtol=0, atol=1e-9)
    assert contrib.shape == X.shape


def test_sample_bundle_tables_equal_the_dump_of_its_booster() -> None:
    bundle = load_bundle(SAMPLE / "bundle")
    assert_same_tables(bundle.tables, dump_tables(bundle.booster))


def test_saved_bundle_keeps_the_booster_text_byte_for_byte(tmp_path: Path) -> None:
    bundle = load_bundle(SAMPLE / "bundle")
    again = load_bundle(save_bundle(bundle, tmp_path / "bundle"))
    assert (tmp_path / "bundle" / "booster.txt").read_bytes() == (SAMPLE / "bundle" / "booster.txt").read_bytes()
    assert again.booster_text == bundle.booster_text
    assert again.booster.num_trees() == len(bundle.tables.tree_root)


def _small() -> tuple[pd.DataFrame, np.ndarray]:
    X, y = _leads(600)
    return X[NUMBERS], y


def test_linear_trees_are_refused() -> None:
    text = _train({"linear_tree": True}, *_small(), 2).model_to_string()
    with pytest.raises(ValueError, match=r"linear trees \(is_linear=1\).*bug"):
        path_tables(text)


def test_multiclass_is_refused() -> None:
    X, _ = _small()
    text = _train({"objective": "multiclass", "num_class": 3}, X, (X["b"] % 3).to_numpy().astype(int), 2).model_to_string()
    with pytest.raises(ValueError, match=r"3 trees per iteration \(multiclass\).*bug"):
        path_tables(text)


def test_averaged_trees_are_refused() -> None:
    text = _train({"boosting": "rf", "bagging_fraction": 0.5, "bagging_freq": 1}, *_small(), 2).model_to_string()
    with pytest.raises(ValueError, match=r"averaged trees.*bug"):
        path_tables(text)


def test_text_that_is_not_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="not a LightGBM model text"):
        path_tables("num_leaves=1\nleaf_value=0.5\n")


SCORE_WITHOUT_LIGHTGBM = """
import json, sys
import pandas as pd
import leadsift.models.bundle, leadsift.models.scoring
from leadsift.models.bundle import load_bundle
from leadsift.models.scoring import score_frame
bundle = load_bundle("tests/samples/scoring/bundle")
raw = pd.read_csv("tests/samples/scoring/list.csv", dtype=str, keep_default_na=False, nrows=20)
out = score_frame(bundle, raw)
assert out["p_accept"].notna().sum() > 10, out
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("lightgbm", "sklearn", "scipy"))))
"""
# numba's own start-up loads scipy.linalg (its version check and BLAS bindings): what any jitted call loads
NUMBA_ALONE = """
import json, sys
import numba, numpy
numba.njit(lambda x: x + 1)(numpy.ones(1))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "scipy")))
"""


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_scoring_a_loaded_bundle_imports_neither_lightgbm_nor_sklearn_nor_scipy_stats() -> None:
    loaded = _modules_after(SCORE_WITHOUT_LIGHTGBM)
    assert not {m for m in loaded if m.split(".")[0] in ("lightgbm", "sklearn")}, sorted(loaded)
    assert not {m for m in loaded if m.startswith(("scipy.stats", "scipy.sparse", "scipy.special"))}, sorted(loaded)
    assert loaded <= _modules_after(NUMBA_ALONE), sorted(loaded - _modules_after(NUMBA_ALONE))
