"""`leadsift score --engine spark` against the single-process scorer, on local Spark (`local[2]`).

The list mixes the broken export of the CLI tests (bad cells, a missing id and source, an empty row, a cell
with a newline, formula-like cells, an extra column) with 400 demo leads and late repeats of earlier ids, so
that duplicates sit in other partitions than their first row. Every comparison is row for row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.models.scoring import OUTPUT_COLUMNS
from leadsift.pipeline.cli import main
from leadsift.pipeline.files import read_table
from tests.e2e.test_score_cli import BROKEN_CSV, PARAMS

AS_OF = "2026-11-30"
TEXT = dict(dtype="str", keep_default_na=False)
NUMBERS = ["rows", "scored", "expected_accept_rate", "expected_accept_low", "expected_accept_high",
           "historical_accept_rate", "source_history_rate", "expected_accept_min", "expected_accept_max"]


@pytest.fixture(scope="module")
def env(small_model, spark, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """The session's model as champion; a mixed list as CSV (text cells) and as typed Parquet (row groups of 60)."""
    tmp = tmp_path_factory.mktemp("spark_score")
    broken_csv = tmp / "broken.csv"
    broken_csv.write_text(BROKEN_CSV, encoding="utf-8")
    broken = read_table(broken_csv)
    strong = read_table(small_model.demo["new_strong"])
    repeats = pd.concat([strong.head(3), broken.head(2)]).assign(crm_owner="late repeat")
    mixed = pd.concat([broken, strong, repeats], ignore_index=True)
    listing = tmp / "mixed list.csv"
    mixed.to_csv(listing, index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", small_model.store)
        yield {"tmp": tmp, "csv": listing, "mixed": mixed, "strong": strong, "bundle": small_model.bundle,
               "uri": small_model.model_uri}


def scored_alone(src: Path, out: Path) -> pd.DataFrame:
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS, "--as-of", AS_OF]) == 0
    return pd.read_parquet(out)


def scored_on_spark(src: Path, out: Path, *extra: str) -> pd.DataFrame:
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS, "--as-of", AS_OF, "--engine", "spark", *extra]) == 0
    assert out.is_dir() and list(out.glob("part-*"))
    return pd.read_parquet(out)  # part files in name order: the list's order


def assert_same_rows(spark_rows: pd.DataFrame, alone: pd.DataFrame, inputs: list[str]) -> None:
    assert list(spark_rows.columns) == list(alone.columns)
    assert len(spark_rows) == len(alone)
    np.testing.assert_allclose(spark_rows["p_accept"].to_numpy(dtype="float64"), alone["p_accept"].to_numpy(dtype="float64"),
                               rtol=0, atol=1e-9, equal_nan=True)
    for column in ("score", "tier", "reasons", "score_error", *inputs):
        left, right = spark_rows[column].astype(object), alone[column].astype(object)
        assert left.where(left.notna(), None).tolist() == right.where(right.notna(), None).tolist(), column


def assert_same_verdicts(a: Path, b: Path) -> None:
    left, right = pd.read_csv(a, **TEXT), pd.read_csv(b, **TEXT)
    assert list(left.columns) == list(right.columns) and len(left) == len(right)
    for column in left.columns:
        if column in NUMBERS or column.startswith("share_"):
            x, y = pd.to_numeric(left[column]).to_numpy(), pd.to_numeric(right[column]).to_numpy()
            np.testing.assert_allclose(x, y, rtol=0, atol=1e-9, equal_nan=True, err_msg=column)
        else:
            assert left[column].tolist() == right[column].tolist(), column


def test_spark_scores_a_messy_list_row_for_row_like_the_single_process_scorer(env):
    tmp = env["tmp"]
    alone = scored_alone(env["csv"], tmp / "alone.parquet")
    on_spark = scored_on_spark(env["csv"], tmp / "spark.parquet", "--partitions", "4")

    assert_same_rows(on_spark, alone, list(env["mixed"].columns))
    assert_same_verdicts(tmp / "alone.sources.csv", tmp / "spark.sources.csv")
    # The late repeats are noted as duplicates, though their first rows were scored in another partition.
    notes = on_spark["score_error"].tail(5)
    assert notes.str.contains("lead_id: duplicate of an earlier row").all(), notes.tolist()
    assert on_spark["score_error"].str.contains("duplicate").sum() == 6  # the repeats and L-001's own repeat
    assert on_spark.loc[on_spark["lead_id"] == "L-010", "crm_owner"].iloc[0] == "line one\nline two"


def test_typed_parquet_and_text_give_the_same_scores_and_csv_output_matches(env):
    """A typed Parquet file in parts (numbers, booleans, timestamps) scores as its text; a CSV folder out holds
    the cells the single-process CSV holds."""
    tmp, text = env["tmp"], env["strong"].head(150)
    typed = text.assign(
        created_at=pd.to_datetime(text["created_at"]).astype("datetime64[us]"),
        employees=pd.to_numeric(text["employees"]).astype("Int64"),
        page_views=pd.to_numeric(text["page_views"]).astype("int64"),
        cost=pd.to_numeric(text["cost"]),
        demo_requested=text["demo_requested"].map({"true": True, "false": False}).astype("boolean"),
    )
    src = tmp / "typed.parquet"
    typed.to_parquet(src, index=False, row_group_size=60)
    as_text = tmp / "text.csv"
    text.to_csv(as_text, index=False)

    on_spark = scored_on_spark(src, tmp / "typed_scored.parquet", "--partitions", "3")
    alone = scored_alone(as_text, tmp / "text_scored.parquet")
    np.testing.assert_allclose(on_spark["p_accept"].to_numpy(), alone["p_accept"].to_numpy(), rtol=0, atol=1e-9)
    assert on_spark["reasons"].tolist() == alone["reasons"].tolist()
    assert (on_spark["score_error"] == "").all()
    assert on_spark["created_at"].dtype.kind == "M" and on_spark["page_views"].dtype == "int64"

    csv_out = tmp / "spark_cells.csv"
    assert main(["score", str(as_text), "-o", str(csv_out), "--params", PARAMS, "--as-of", AS_OF, "--engine", "spark"]) == 0
    parts = sorted(csv_out.glob("part-*.csv"))
    cells = pd.concat([pd.read_csv(p, **TEXT) for p in parts], ignore_index=True)
    single = tmp / "single_cells.csv"
    assert main(["score", str(as_text), "-o", str(single), "--params", PARAMS, "--as-of", AS_OF]) == 0
    expected = pd.read_csv(single, **TEXT)
    pd.testing.assert_frame_equal(cells.drop(columns=["p_accept"]), expected.drop(columns=["p_accept"]))
    np.testing.assert_allclose(pd.to_numeric(cells["p_accept"]), pd.to_numeric(expected["p_accept"]), rtol=0, atol=1e-12)


def test_the_python_function_returns_the_same_rows(env, spark):
    from leadsift.pipeline.spark import score

    frame = env["mixed"].head(40)
    rows = score(spark.createDataFrame(frame), env["uri"], as_of=pd.Timestamp(AS_OF)).toPandas()
    src = env["tmp"] / "head.csv"
    frame.to_csv(src, index=False)
    alone = scored_alone(src, env["tmp"] / "head_scored.parquet")
    assert list(rows.columns) == list(frame.columns) + list(OUTPUT_COLUMNS)
    assert_same_rows(rows, alone, list(frame.columns))


def test_spark_engine_refuses_what_it_cannot_do(env, capsys):
    out = str(env["tmp"] / "never.parquet")
    assert main(["score", str(env["csv"]), "-o", out, "--engine", "spark", "--capacity", "5"]) == 2
    assert "--capacity" in capsys.readouterr().err
    assert main(["score", str(env["csv"]), "-o", out, "--partitions", "3"]) == 2
    assert "--engine spark" in capsys.readouterr().err
    assert main(["score", str(env["tmp"] / "absent.csv"), "-o", out, "--engine", "spark"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not Path(out).exists()
