"""The scorer's output, byte for byte, on a fixed list and model (tests/samples/scoring).

The list has bad and oddly formatted cells, duplicates within and across chunks and blank rows;
the model is a bundle kept as files, logged here into a fresh MLflow store. A faster scorer must
write exactly what the scorer of the day wrote (`make_golden.py` there, run only when a change
to the output is intended).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from leadsift.models.bundle import load_bundle
from leadsift.params import load_params
from leadsift.pipeline.score import score_file
from tests.samples.scoring.make_golden import AS_OF, CHUNK_ROWS

CASE = Path(__file__).resolve().parents[1] / "samples" / "scoring"
PARAMS = Path(__file__).resolve().parents[2] / "params.yaml"


@pytest.fixture()
def golden_model(tmp_path: Path, mlflow_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The case's bundle logged as an MLflow model in a fresh store; its URI."""
    import mlflow

    from leadsift.models.pyfunc import log_model

    before = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(mlflow_store)
    try:
        with mlflow.start_run():
            uri = log_model(load_bundle(CASE / "bundle"), tmp_path / "work").model_uri
    finally:
        mlflow.set_tracking_uri(before)
        # MLflow's set_tracking_uri also sets MLFLOW_TRACKING_URI, which leadsift reads: point it back here.
        monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_store)
    return uri


def test_scored_list_is_byte_identical(tmp_path: Path, golden_model: str) -> None:
    params = load_params(PARAMS)
    params = params.model_copy(update={"score": params.score.model_copy(update={"chunk_rows": CHUNK_ROWS})})
    out = tmp_path / "list.scored.csv"
    summary = score_file(CASE / "list.csv", out, params, model_uri=golden_model, as_of=AS_OF, progress=False,
                         out=io.StringIO())
    assert summary.rows == 3_000
    for name in ("list.scored.csv", "list.scored.sources.csv"):
        got, want = (tmp_path / name).read_bytes(), (CASE / name).read_bytes()
        if got != want:
            lines = [(i, a, b) for i, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False)) if a != b]
            first = lines[0] if lines else (None, b"", b"")
            pytest.fail(f"{name} differs from the golden file on {len(lines)} line(s) (sizes {len(got)} vs "
                        f"{len(want)}); first at line {first[0]}:\n got  {first[1][:300]!r}\n want {first[2][:300]!r}")
