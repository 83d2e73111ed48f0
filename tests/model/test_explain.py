"""Model behaviour: path attributions against exact SHAP, determinism, row order, demo direction, unseen values.

One small model is trained for the whole module (demo data, 6,000 leads) in its own sqlite store.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.features.contract import parse_contract
from leadsift.models.bundle import ModelBundle
from leadsift.models.scoring import score_frame
from leadsift.models.treewalk import explain

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Trained:
    bundle: ModelBundle
    history: pd.DataFrame  # the demo history, text cells, contract columns only
    new: pd.DataFrame      # both new demo lists (no outcomes), text cells


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def trained(small_model) -> Trained:  # noqa: ANN001
    bundle, demo = small_model.bundle, small_model.demo
    history = _read(demo["leads"])
    inputs = [c for c in bundle.input_columns if c in history.columns]
    new = pd.concat([_read(demo["new_prize_draw"]), _read(demo["new_strong"])], ignore_index=True)
    return Trained(bundle, history[inputs], new[inputs])


#: the reasons format: "for: a, b; against: c", either half optional
REASONS = r"^(?:for: (?:(?!; against: ).)+(?:; against: .+)?|against: .+)$"


def for_(reasons: pd.Series) -> pd.Series:
    """The reasons for each lead, as one text ("" when none)."""
    return reasons.str.extract(r"^for: ((?:(?!; against: ).)*)", expand=False).fillna("")


def against(reasons: pd.Series) -> pd.Series:
    """The reasons against each lead, as one text ("" when none)."""
    return reasons.str.extract(r"(?:^|; )against: (.*)$", expand=False).fillna("")


def model_matrix(bundle: ModelBundle, raw: pd.DataFrame) -> pd.DataFrame:
    """The matrix the booster sees for these raw rows, built the way the scorer builds it."""
    f = bundle.builder.params
    typed = parse_contract(raw, f.extra_numeric, f.extra_categorical, f.history_keys).typed
    return bundle.builder.matrix(bundle.builder.raw_features(typed))


def odd_rows() -> pd.DataFrame:
    """Rows that send every tree down its missing-value and unseen-category branches."""
    return pd.DataFrame(
        [
            {"lead_id": "odd-1", "source": "A source nobody has seen", "source_type": "hologram",
             "industry": "asteroid mining", "country": "Atlantis", "job_title": "Chief Vibes Officer",
             "email": "who@never-seen.example", "employees": "twelve", "demo_requested": "maybe"},
            {"lead_id": "odd-2", "source": "Website demo request", "employees": "-5", "created_at": "2026-02-30",
             "page_views": "0", "intent_score": "1e400"},
            {"lead_id": "odd-3", "source": "Website demo request", "company": "北京公司",
             "first_name": "Zoë", "last_name": "Ångström", "employees": "9" * 40},
            {"lead_id": "odd-4", "source": "Website demo request"},
        ]
    )


def test_path_attributions_sum_exactly_to_lightgbm_raw_score(trained):
    b = trained.bundle
    raw = pd.concat(
        [trained.history.sample(400, random_state=1), trained.new.sample(100, random_state=1), odd_rows()],
        ignore_index=True,
    )
    X = model_matrix(b, raw)
    walked, contrib = explain(b.tables, X)
    lightgbm_raw = b.booster.predict(X, raw_score=True, validate_features=True)

    assert contrib.shape == (len(X), X.shape[1])
    np.testing.assert_allclose(b.tables.bias + contrib.sum(axis=1), lightgbm_raw, rtol=0, atol=1e-9)
    # The scorer takes its raw score from the same walk: it must be LightGBM's own prediction.
    np.testing.assert_allclose(walked, lightgbm_raw, rtol=0, atol=1e-9)


def test_scores_are_the_calibrated_lightgbm_prediction(trained):
    b = trained.bundle
    raw = pd.concat([trained.new.sample(200, random_state=2), odd_rows()], ignore_index=True)
    out = score_frame(b, raw)
    expected = b.calibrator(b.booster.predict(model_matrix(b, raw), raw_score=True, validate_features=True))
    scored = out["p_accept"].notna().to_numpy()
    # Only odd-4 (nothing but lead_id and source) is left unscored.
    assert raw.loc[~scored, "lead_id"].tolist() == ["odd-4"]
    np.testing.assert_allclose(out["p_accept"].to_numpy()[scored], expected[scored], rtol=0, atol=1e-12)


def test_path_attributions_agree_with_exact_shap_in_sign_and_ranking(trained, record_property):
    b = trained.bundle
    raw = pd.concat([trained.history.sample(150, random_state=3), trained.new.sample(50, random_state=3)],
                    ignore_index=True)
    X = model_matrix(b, raw)
    _, path = explain(b.tables, X)
    shap_full = b.booster.predict(X, pred_contrib=True, validate_features=True)
    shap = shap_full[:, :-1]
    assert shap.shape == path.shape

    top_path = np.argsort(-np.abs(path), axis=1, kind="stable")[:, :3]
    top_shap = np.argsort(-np.abs(shap), axis=1, kind="stable")[:, :3]
    overlap = np.array([len(set(a) & set(s)) / 3 for a, s in zip(top_path, top_shap, strict=True)])
    rows = np.arange(len(X))
    strongest_shap = top_shap[:, 0]
    strongest_path = top_path[:, 0]
    sign_at_shap_top = np.mean(np.sign(path[rows, strongest_shap]) == np.sign(shap[rows, strongest_shap]))
    sign_at_path_top = np.mean(np.sign(path[rows, strongest_path]) == np.sign(shap[rows, strongest_path]))
    same_top1 = np.mean(strongest_path == strongest_shap)
    # What the reasons are made of: contributions added up per family.
    fam_path = b.reasoner.family_contributions(path)
    fam_shap = b.reasoner.family_contributions(shap)
    fam_overlap = np.mean([
        len(set(np.argsort(-np.abs(a))[:3]) & set(np.argsort(-np.abs(s))[:3])) / 3
        for a, s in zip(fam_path, fam_shap, strict=True)
    ])
    figures = {
        "top3_overlap_mean": float(overlap.mean()),
        "rows_sharing_2_of_top3": float(np.mean(overlap >= 2 / 3)),
        "same_strongest_feature": float(same_top1),
        "sign_agrees_at_shap_strongest": float(sign_at_shap_top),
        "sign_agrees_at_path_strongest": float(sign_at_path_top),
        "family_top3_overlap_mean": float(fam_overlap),
    }
    for name, value in figures.items():
        record_property(name, round(value, 4))
    print("path vs SHAP on 200 rows:", {k: round(v, 3) for k, v in figures.items()})

    assert overlap.mean() >= 0.7, figures
    assert np.mean(overlap >= 2 / 3) >= 0.85, figures
    assert sign_at_shap_top >= 0.95 and sign_at_path_top >= 0.95, figures
    assert fam_overlap >= 0.7, figures


def test_scoring_the_same_rows_twice_gives_identical_output(trained):
    b = trained.bundle
    raw = pd.concat([trained.new.sample(300, random_state=4), odd_rows()], ignore_index=True)
    first = score_frame(b, raw)
    second = score_frame(b, raw)
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    # A copy of the model as another process would load it scores the same.
    reloaded = pickle.loads(pickle.dumps(b))
    pd.testing.assert_frame_equal(score_frame(reloaded, raw), first, check_exact=True)


def test_row_order_and_batching_do_not_change_a_leads_result(trained):
    b = trained.bundle
    raw = trained.new.sample(300, random_state=5).drop_duplicates("lead_id").reset_index(drop=True)
    whole = score_frame(b, raw)

    perm = np.random.default_rng(0).permutation(len(raw))
    shuffled = score_frame(b, raw.iloc[perm].reset_index(drop=True))
    shuffled.index = perm
    pd.testing.assert_frame_equal(shuffled.sort_index(), whole, check_exact=True)

    # Keeping the caller's (shuffled) index labels works the same.
    kept = score_frame(b, raw.iloc[perm])
    assert kept.index.equals(raw.index[perm])
    pd.testing.assert_frame_equal(kept.sort_index(), whole, check_exact=True)

    # The batch a row is scored in does not matter (the CLI scores a file in chunks).
    pieces = pd.concat([score_frame(b, raw.iloc[i : i + 37]) for i in range(0, len(raw), 37)])
    pd.testing.assert_frame_equal(pieces, whole, check_exact=True)


def test_asking_for_a_demo_never_lowers_the_score(trained, record_property):
    b = trained.bundle
    raw = pd.concat([trained.history.sample(3_000, random_state=6), trained.new], ignore_index=True)
    without = score_frame(b, raw.assign(demo_requested="false"))
    with_demo = score_frame(b, raw.assign(demo_requested="true"))
    delta = with_demo["p_accept"].to_numpy() - without["p_accept"].to_numpy()
    assert not np.isnan(delta).any()

    share_not_lower = float(np.mean(delta >= 0))
    figures = {"rows": len(delta), "share_not_lower": share_not_lower, "mean_gain": float(delta.mean()),
               "min_gain": float(delta.min()), "rows_lower": int((delta < 0).sum()),
               "score_points_gain_mean": float((with_demo["score"] - without["score"]).mean())}
    for name, value in figures.items():
        record_property(f"demo_{name}", value)
    print("demo false -> true:", figures)

    assert share_not_lower >= 0.99, figures
    assert delta.mean() > 0, figures
    assert (with_demo["score"] >= without["score"]).mean() >= 0.99
    # The reasons tell the same story: the demo never counts against a lead that asked for one,
    # and not asking never counts for a lead.
    assert not against(with_demo["reasons"]).str.contains("asked for a demo", regex=False).any()
    assert not for_(without["reasons"]).str.contains("did not ask for a demo", regex=False).any()
    assert for_(with_demo["reasons"]).str.contains("asked for a demo", regex=False).mean() > 0.5


def test_unseen_source_and_categories_score_without_error(trained):
    b = trained.bundle
    base = trained.new.iloc[[len(trained.new) - 1]].reset_index(drop=True)  # a lead from the strong list
    unseen_a = base.assign(lead_id="u-1", source="Brand-new expo 2027", source_type="hologram",
                           industry="asteroid mining", country="Atlantis", job_title="Chief Vibes Officer",
                           email="who@never-seen-a.example", company_domain="never-seen-a.example")
    unseen_b = base.assign(lead_id="u-2", source="Another list nobody has seen", source_type="carrier pigeon",
                           industry="time travel", country="El Dorado", job_title="Chief Vibes Officer",
                           email="who@never-seen-b.example", company_domain="never-seen-b.example")
    raw = pd.concat([base, unseen_a, unseen_b], ignore_index=True)
    out = score_frame(b, raw)

    assert (out["score_error"] == "").all(), out["score_error"].tolist()
    assert out["p_accept"].between(0, 1).all()
    assert set(out["tier"]) <= {"A", "B", "C", "D"}
    assert out["reasons"].str.match(REASONS).all()
    # Two different never-seen sources, channels, industries and countries are the same to the model.
    assert out.loc[1, "p_accept"] == out.loc[2, "p_accept"]
    assert "its source had" not in out.loc[1, "reasons"]


def test_saved_bundle_reloads_and_scores_identically(trained, tmp_path):  # noqa: ANN001
    from leadsift.models.bundle import load_bundle, save_bundle

    reloaded = load_bundle(save_bundle(trained.bundle, tmp_path / "bundle"))
    raw = trained.new.head(300)
    pd.testing.assert_frame_equal(score_frame(reloaded, raw), score_frame(trained.bundle, raw), check_exact=True)
    assert reloaded.builder.vocab == trained.bundle.builder.vocab
    assert reloaded.builder.as_of == trained.bundle.builder.as_of
