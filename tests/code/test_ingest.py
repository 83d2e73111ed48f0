import pandas as pd
import pytest

from leadsift.errors import ContractError
from leadsift.features.contract import parse_contract
from leadsift.params import LabelParams, params_from_dict
from leadsift.pipeline.columns import map_columns
from leadsift.pipeline.files import neutralize, read_table, write_table
from leadsift.pipeline.ingest import load_history
from leadsift.pipeline.labels import exclusion_counts, make_labels


def _write(tmp_path, name, frame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _leads(n=6):
    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": [f"2025-01-{i + 1:02d}" for i in range(n)],
            "source": ["Webinar"] * n,
            "sales_status": ["accepted", "rejected", "unworked", "", "accepted", "rejected"][:n],
            "status_at": ["2025-01-05", "2025-01-06", "", "", "2025-01-09", "2025-01-10"][:n],
        }
    )


def test_read_csv_keeps_text_exactly(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("lead_id,source,note\n007,Söurce,NA\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.loc[0, "lead_id"] == "007"
    assert frame.loc[0, "source"] == "Söurce"
    assert frame.loc[0, "note"] == "NA"


def test_unknown_file_type_is_an_error(tmp_path):
    path = tmp_path / "leads.json"  # (.xlsx is read since leadsift reads Excel)
    path.write_bytes(b"x")
    with pytest.raises(ContractError, match="unknown file type"):
        read_table(path)


def test_missing_required_column_names_it_and_the_mapping(tmp_path):
    path = _write(tmp_path, "leads.csv", _leads().drop(columns=["source"]))
    with pytest.raises(ContractError, match=r"(?s)missing required column\(s\): source.*data:\n    columns:"):
        load_history(path, None, params_from_dict({}))


def test_duplicate_lead_id_is_an_error_naming_it(tmp_path):
    frame = _leads()
    frame.loc[3, "lead_id"] = "L1"
    path = _write(tmp_path, "leads.csv", frame)
    with pytest.raises(ContractError, match="'L1' appears more than once"):
        load_history(path, None, params_from_dict({}))


def test_column_mapping_renames_crm_names(tmp_path):
    frame = _leads().rename(columns={"lead_id": "Prospect ID", "source": "Lead Source"})
    path = _write(tmp_path, "leads.csv", frame)
    params = params_from_dict({"data": {"columns": {"Prospect ID": "lead_id", "Lead Source": "source"}},
                               "label": {"maturity_days": 0}})
    history = load_history(path, None, params)
    assert list(history.raw["lead_id"]) == list(frame["Prospect ID"])


def test_mapping_onto_an_existing_column_is_refused():
    frame = pd.DataFrame({"a": ["1"], "source": ["x"]})
    with pytest.raises(ContractError, match="already has a column named 'source'"):
        map_columns(frame, {"a": "source"}, "leads file x.csv")


def test_outcomes_file_joins_in_order_and_rejects_duplicates(tmp_path):
    leads = _leads().drop(columns=["sales_status", "status_at"])
    outcomes = _leads()[["lead_id", "sales_status", "status_at"]].iloc[::-1]
    lp, op = _write(tmp_path, "leads.csv", leads), _write(tmp_path, "out.csv", outcomes)
    params = params_from_dict({"label": {"maturity_days": 0}})
    history = load_history(lp, op, params)
    assert list(history.raw["lead_id"]) == list(leads["lead_id"])
    assert list(history.y.fillna(-1)) == [1, 0, -1, -1, 1, 0]
    dup = pd.concat([outcomes, outcomes.head(1)])
    with pytest.raises(ContractError, match="more than one outcome row"):
        load_history(lp, _write(tmp_path, "dup.csv", dup), params)


def test_labels_count_every_exclusion_by_reason():
    typed = parse_contract(_leads(), with_outcomes=True).typed
    y, reason, as_of = make_labels(typed, "accepted", LabelParams(maturity_days=5), False)
    counts = exclusion_counts(reason)
    assert counts == {
        "unworked (label.unworked: exclude)": 1,
        "no outcome recorded (label.no_outcome: exclude)": 1,
        "too young to have an outcome (< 5 days)": 1,
    }
    assert y.notna().sum() + sum(counts.values()) == len(typed)
    assert as_of == pd.Timestamp("2025-01-10")


def test_unworked_as_negative_and_won_target():
    typed = parse_contract(_leads(), with_outcomes=True).typed
    y, _, _ = make_labels(typed, "accepted", LabelParams(unworked="negative", maturity_days=0), False)
    assert y.iloc[2] == 0
    with pytest.raises(ContractError, match="closed_won or won_at"):
        make_labels(typed, "won", LabelParams(), False)


def test_unparsable_values_are_noted_not_dropped():
    raw = pd.DataFrame({"lead_id": ["a", "b", None], "source": ["s", None, "s"], "employees": ["12", "-3", "many"],
                        "created_at": ["2025-02-30", "2025-02-01", ""], "demo_requested": ["yes", "maybe", "N"]})
    parsed = parse_contract(raw)
    assert len(parsed.typed) == 3
    assert "created_at: not a date" in parsed.problems[0]
    assert "employees: negative" in parsed.problems[1] and "source: missing" in parsed.problems[1]
    assert "demo_requested: not true/false" in parsed.problems[1]
    assert "employees: not a number" in parsed.problems[2] and "lead_id: missing" in parsed.problems[2]
    assert parsed.typed["demo_requested"].tolist()[0] == 1.0 and parsed.typed["demo_requested"].tolist()[2] == 0.0


def test_write_atomic_leaves_no_partial_file_and_neutralizes_formulas(tmp_path):
    frame = pd.DataFrame({"a": ["=1+1", "-5", "@x", "ok", "+cmd"], "b": [1, 2, 3, 4, 5]})
    path = write_table(frame, tmp_path / "out.csv", neutralize_formulas=True)
    back = pd.read_csv(path, dtype=str)
    assert back["a"].tolist() == ["'=1+1", "-5", "'@x", "ok", "'+cmd"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert neutralize(frame) is not frame and frame["a"][0] == "=1+1"


def test_a_column_map_key_matching_no_column_names_the_nearest(tmp_path):
    frame = _leads().rename(columns={"source": "Lead Source"})
    path = _write(tmp_path, "leads.csv", frame)
    params = params_from_dict({"data": {"columns": {"Lead Sourse": "source"}}})
    with pytest.raises(ContractError, match="maps 'Lead Sourse' to source, but leads file .* has no column 'Lead Sourse'; "
                                            "did you mean 'Lead Source'"):
        load_history(path, None, params)


def test_ids_with_stray_spaces_are_the_same_lead(tmp_path):
    frame = _leads()
    frame.loc[3, "lead_id"] = " L1 "
    with pytest.raises(ContractError, match="' L1 ' appears more than once"):
        load_history(_write(tmp_path, "leads.csv", frame), None, params_from_dict({}))


def test_outcome_rows_without_a_lead_are_counted(tmp_path):
    leads = _leads().drop(columns=["sales_status", "status_at"])
    outcomes = pd.concat([_leads()[["lead_id", "sales_status", "status_at"]],
                          pd.DataFrame({"lead_id": ["X1", "X2"], "sales_status": ["accepted", "rejected"],
                                        "status_at": ["2025-01-05", "2025-01-05"]})], ignore_index=True)
    outcomes.loc[0, "lead_id"] = "  L0"  # spaces around an id still join
    history = load_history(_write(tmp_path, "leads.csv", leads), _write(tmp_path, "out.csv", outcomes),
                           params_from_dict({"label": {"maturity_days": 0}}))
    assert history.parsed.typed["sales_status"].iloc[0] == "accepted"
    assert any("2 outcome row(s)" in note and "not in" in note for note in history.notes)


def test_outcomes_dated_before_their_lead_are_noted(tmp_path):
    frame = _leads()
    frame.loc[0, "status_at"] = "2024-12-01"
    history = load_history(_write(tmp_path, "leads.csv", frame), None, params_from_dict({"label": {"maturity_days": 0}}))
    assert any(note.startswith("1 lead(s) have status_at before created_at") for note in history.notes)


def test_a_required_column_spelt_differently_gets_a_did_you_mean(tmp_path):
    frame = _leads().rename(columns={"lead_id": "Lead_ID", "source": "Source "})
    with pytest.raises(ContractError, match="did you mean 'Lead_ID' for lead_id.*did you mean 'Source ' for source"):
        load_history(_write(tmp_path, "leads.csv", frame), None, params_from_dict({}))


def _bank_like(n=300, seed=0):
    """A file in time order with no dates and no ids, like the UCI bank marketing export."""
    import numpy as np

    rng = np.random.default_rng(seed)
    outcome = np.where(rng.random(n) < np.linspace(0.05, 0.6, n), "yes", "no")
    return pd.DataFrame({"contact": rng.choice(["cellular", "telephone"], n), "age": rng.integers(20, 70, n), "y": outcome})


ORDER_PARAMS = {
    "data": {"columns": {"contact": "source", "y": "sales_status"},
             "values": {"sales_status": {"yes": "accepted", "no": "rejected"}}},
    "label": {"maturity_days": 0},
    "features": {"extra_numeric": ["age"]},
    "split": {"method": "order"},
}


def test_order_split_names_rows_and_walks_forward_in_file_order(tmp_path):
    path = _write(tmp_path, "bank.csv", _bank_like())
    history = load_history(path, None, params_from_dict(ORDER_PARAMS))
    typed = history.parsed.typed
    assert typed["lead_id"].tolist()[:3] == ["1", "2", "3"]
    assert typed["created_at"].is_monotonic_increasing and typed["created_at"].is_unique
    # an outcome is dated with its own row: known to the rows after it, never to itself or earlier rows
    assert (typed["status_at"] == typed["created_at"]).all()
    assert any("named by row number" in note for note in history.notes)
    assert history.y.notna().all()


def test_order_split_keeps_the_files_own_lead_ids(tmp_path):
    frame = _bank_like().assign(lead_id=lambda f: [f"C{i}" for i in range(len(f))])
    history = load_history(_write(tmp_path, "bank.csv", frame), None, params_from_dict(ORDER_PARAMS))
    assert history.parsed.typed["lead_id"].iloc[0] == "C0"


def test_order_split_refuses_a_file_with_dates(tmp_path):
    frame = _bank_like().assign(created_at="2025-01-01")
    with pytest.raises(ContractError, match=r"bank\.csv has created_at.*use split\.method: time"):
        load_history(_write(tmp_path, "bank.csv", frame), None, params_from_dict(ORDER_PARAMS))


def test_order_split_puts_the_last_rows_in_the_test_slice(tmp_path):
    from leadsift.pipeline.split import split_rows

    params = params_from_dict(ORDER_PARAMS)
    history = load_history(_write(tmp_path, "bank.csv", _bank_like()), None, params)
    split = split_rows(history.y, history.parsed.typed["created_at"], params.split)
    rows = pd.RangeIndex(len(history.y))
    assert rows[split.test].min() > rows[split.calib].max() > rows[split.valid].max() > rows[split.train].max()
