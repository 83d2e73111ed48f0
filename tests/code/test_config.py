from pathlib import Path

import pytest

from leadsift.params import ParamsError, load_params, params_from_dict

ROOT = Path(__file__).resolve().parents[2]


def test_project_params_file_loads_with_its_values():
    params = load_params(ROOT / "params.yaml")
    assert params.target == "accepted"
    assert params.split.method == "time"
    assert params.icp.employees_min == 50
    assert "intent_score" in params.features.extra_numeric
    assert params.tiers.A > params.tiers.B > params.tiers.C


def test_defaults_without_a_file():
    params = load_params(None)
    assert params.registry.model_name == "leadsift"
    assert params.label.unworked == "exclude"


def test_flat_dict_has_dotted_keys():
    flat = params_from_dict({"model": {"num_leaves": 15}}).to_flat_dict()
    assert flat["model.num_leaves"] == 15
    assert flat["icp.employees_max"] == 5000


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"modle": {}}, "unknown key 'modle'; did you mean 'model'"),
        ({"model": {"leaves": 3}}, "unknown key 'model.leaves'; did you mean 'model.num_leaves'"),
        ({"reasons": {"tops": 9}}, "unknown key 'reasons.tops'; did you mean 'reasons.top'"),
        ({"features": {"icp": {}}}, "'icp' is a section of its own"),
        ({"model": {"num_leaves": "many"}}, "'model.num_leaves': Input should be a valid integer"),
        ({"model": {"refit": "yes"}}, "'model.refit'"),
        ({"score": {"chunk_rows": 0}}, "'score.chunk_rows': Input should be greater than or equal to 1"),
        ({"score": {"chunk_rows": -5}}, "'score.chunk_rows'"),
        ({"icp": {"countries": ["US", False]}}, "quote it"),
        ({"target": "revenue"}, "target"),
        ({"split": {"method": "sideways"}}, "split.method"),
        ({"split": {"test_share": 0.5, "calib_share": 0.3, "valid_share": 0.2}}, "add up"),
        ({"tiers": {"A": 0.1, "B": 0.5}}, "tiers"),
        ({"features": {"extra_numeric": "intent_score"}}, "must be a list"),
    ],
)
def test_bad_params_name_the_key(raw, message):
    with pytest.raises(ParamsError, match=message):
        params_from_dict(raw)


def test_missing_params_file_is_a_clear_error(tmp_path):
    with pytest.raises(ParamsError, match="does not exist"):
        load_params(tmp_path / "nope.yaml")


def test_recency_weights_halve_every_half_life():
    import pandas as pd

    from leadsift.models.estimator import recency_weights

    created = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-31", "2025-03-02"]))
    weights = recency_weights(created, half_life_days=30)
    assert weights.round(3).tolist() == [0.25, 0.5, 1.0]
    assert recency_weights(created, 0) is None


def test_written_params_reload_to_the_same_values(tmp_path):
    params = load_params(ROOT / "params.yaml")
    path = tmp_path / "logged.yaml"
    path.write_text(params.to_yaml())
    assert load_params(path) == params


def test_logged_names_are_the_yaml_keys():
    flat = load_params(ROOT / "params.yaml").to_flat_dict()
    assert {"reasons.top", "icp.countries", "score.chunk_rows", "data.columns"} <= set(flat)
    assert not any(key.startswith("features.icp") for key in flat)
