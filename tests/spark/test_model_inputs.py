"""The registered model's inputs: typed or text columns by name, from `mlflow.pyfunc.spark_udf` and from
`mlflow models predict -t csv`; columns passed by position are right in the signature's order, an error in any
other order, never scored under the wrong names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest

from leadsift.models.scoring import score_frame
from leadsift.pipeline.files import read_table


def typed_copy(text: pd.DataFrame) -> pd.DataFrame:
    """The same leads as Parquet or Spark would hold them: numbers, booleans and timestamps."""
    return text.assign(
        created_at=pd.to_datetime(text["created_at"]),
        last_activity_at=pd.to_datetime(text["last_activity_at"]),
        employees=pd.to_numeric(text["employees"]),
        cost=pd.to_numeric(text["cost"]),
        page_views=pd.to_numeric(text["page_views"]).astype("int64"),
        demo_requested=text["demo_requested"].map({"true": True, "false": False}).astype(bool),
    )


@pytest.fixture(scope="module")
def leads(small_model):  # noqa: ANN001, ANN201
    text = read_table(small_model.demo["new_strong"]).head(40)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", small_model.store)
        yield text, score_frame(small_model.bundle, text)


def test_pyfunc_takes_typed_and_text_frames_by_name(in_small_store, leads):
    small_model = in_small_store
    text, expected = leads
    model = mlflow.pyfunc.load_model(small_model.model_uri)
    for frame in (text, typed_copy(text)):
        got = model.predict(frame)
        np.testing.assert_allclose(got["p_accept"].astype(float), expected["p_accept"], rtol=0, atol=1e-12)
        assert got["reasons"].tolist() == expected["reasons"].tolist()


def test_spark_udf_by_name_and_in_signature_order_is_right_in_another_order_an_error(spark, in_small_store, leads):
    small_model = in_small_store
    from pyspark.sql import functions as F

    text, expected = leads
    udf = mlflow.pyfunc.spark_udf(spark, small_model.model_uri, env_manager="local")
    names = udf.metadata.get_input_schema().input_names()
    typed = typed_copy(text).add_prefix("typed_")
    # one partition: each UDF in the select loads the model once per partition, and 40 rows need no more
    sdf = spark.createDataFrame(pd.concat([text, typed], axis=1)).coalesce(1)
    by_position = [F.col(c) if c in text.columns else F.lit(None).cast("string") for c in names]
    got = sdf.select(
        udf(F.struct(*text.columns)).alias("text"),
        udf(F.struct(*[F.col("typed_" + c).alias(c) for c in text.columns])).alias("typed"),
        udf(*by_position).alias("position"),
    ).toPandas()
    for form in ("text", "typed", "position"):
        out = pd.DataFrame(got[form].tolist())
        np.testing.assert_allclose(out["p_accept"], expected["p_accept"], rtol=0, atol=1e-9, err_msg=form)
        assert out["reasons"].tolist() == expected["reasons"].tolist(), form
        assert out["score_error"].tolist() == expected["score_error"].tolist(), form

    # The columns in the file's own order (it lacks annual_revenue, so every later one would shift): an error.
    shifted = spark.createDataFrame(text.drop(columns=["annual_revenue"])).coalesce(1)
    with pytest.raises(Exception, match="positional arguments") as caught:
        shifted.select(udf(*shifted.columns).alias("s")).collect()
    assert "struct" in str(caught.value)


def test_mlflow_models_predict_reads_a_contract_csv(small_model, leads, tmp_path):
    text, expected = leads
    src, out = tmp_path / "contract.csv", tmp_path / "predictions.json"
    text.to_csv(src, index=False)  # read back by MLflow with pandas: numbers as numbers, true/false as booleans
    mlflow_cli = Path(sys.executable).with_name("mlflow")
    done = subprocess.run(
        [str(mlflow_cli), "models", "predict", "-m", small_model.model_uri, "-i", str(src), "-t", "csv",
         "--env-manager", "local", "-o", str(out)],
        env={**os.environ, "MLFLOW_TRACKING_URI": small_model.store}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    predictions = pd.DataFrame(json.loads(out.read_text(encoding="utf-8"))["predictions"])
    np.testing.assert_allclose(predictions["p_accept"].astype(float), expected["p_accept"], rtol=0, atol=1e-9)
    assert predictions["tier"].tolist() == expected["tier"].tolist()
