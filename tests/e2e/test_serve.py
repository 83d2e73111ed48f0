"""End to end: `mlflow models serve -m models:/leadsift@champion --env-manager local` scores like `score_frame`.

One small model is trained for the whole module (demo data, 6,000 leads) and made champion in its own
sqlite store; the server runs as a subprocess against that store.
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.models.bundle import ModelBundle
from leadsift.models.scoring import OUTPUT_COLUMNS, score_frame

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90


@dataclass(frozen=True)
class Served:
    url: str
    bundle: ModelBundle
    strong: pd.DataFrame  # the demo's strong new list, text cells


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local test server
        return response.status


def post_json(url: str, payload: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local test server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _stop(proc: subprocess.Popen) -> None:
    """End the server and everything it started (it runs in its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def served(small_model, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: ANN001
    tmp = tmp_path_factory.mktemp("serve_model")
    demo, uri, bundle = small_model.demo, small_model.store, small_model.bundle
    strong = pd.read_csv(demo["new_strong"], dtype="str", keep_default_na=False, na_values=[""])

    bin_dir = Path(sys.executable).parent
    mlflow_cli = bin_dir / "mlflow"
    if not mlflow_cli.exists():
        pytest.skip(f"{mlflow_cli} not found: the mlflow command is needed to serve the model")
    port = _free_port()
    # `--env-manager local` execs `uvicorn` from PATH, so the environment's bin folder must be on it.
    # The registry too: MLflow's set_registry_uri leaves MLFLOW_REGISTRY_URI set to whatever store a test used last.
    env = {**os.environ, "MLFLOW_TRACKING_URI": uri, "MLFLOW_REGISTRY_URI": uri,
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    log_path = tmp / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(mlflow_cli), "models", "serve", "-m", "models:/leadsift@champion", "--env-manager", "local",
             "-p", str(port), "-h", "127.0.0.1"],
            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                up = _get(f"{url}/ping") == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                up = False
            if up:
                break
            time.sleep(0.5)
        if not up:
            _stop(proc)
            log = log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
            print(log, file=sys.stderr)
            pytest.skip(
                f"mlflow models serve did not answer /ping within {START_TIMEOUT_S}s "
                f"(exit code {proc.returncode}); its output:\n{log}"
            )
        yield Served(url, bundle, strong)
    finally:
        _stop(proc)


def split_payload(frame: pd.DataFrame) -> dict:
    """`dataframe_split` with every cell as a string (missing -> null), as a CRM integration sends it."""
    data = [[None if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    return {"dataframe_split": {"columns": list(frame.columns), "data": data}}


def test_served_model_scores_exactly_like_score_frame(served):
    columns = [c for c in served.bundle.input_columns if c in served.strong.columns]
    rows = served.strong[columns].dropna(subset=["employees", "job_title"]).head(3).reset_index(drop=True)
    rows.loc[1, "first_name"] = "Zoë"  # non-ASCII survives the trip
    rows.loc[2, "employees"] = "twelve"  # a value the scorer drops and notes

    status, body = post_json(f"{served.url}/invocations", split_payload(rows))
    assert status == 200, body
    predictions = json.loads(body)["predictions"]
    served_frame = pd.DataFrame(predictions)
    assert len(served_frame) == 3
    assert set(OUTPUT_COLUMNS) <= set(served_frame.columns)

    local = score_frame(served.bundle, rows)
    np.testing.assert_allclose(served_frame["p_accept"].astype(float), local["p_accept"].to_numpy(), rtol=0, atol=1e-9)
    assert served_frame["score"].astype(int).tolist() == local["score"].astype(int).tolist()
    for column in ("tier", "reasons", "score_error"):
        assert served_frame[column].tolist() == local[column].tolist(), column
    assert all(r.startswith(("for: ", "against: ")) for r in served_frame["reasons"])
    assert set(served_frame["tier"]) <= {"A", "B", "C", "D"}
    assert "employees:" in served_frame.loc[2, "score_error"]


def test_served_model_rejects_a_request_without_a_required_column(served):
    rows = served.strong[["lead_id", "employees"]].head(2)
    status, body = post_json(f"{served.url}/invocations", split_payload(rows))
    assert status == 400, body
    assert "source" in body


def test_served_response_is_standard_json_when_a_row_cannot_be_scored(served):
    rows = pd.DataFrame({"lead_id": ["only-an-id"], "source": ["Website demo request"]})
    status, body = post_json(f"{served.url}/invocations", split_payload(rows))
    assert status == 200, body

    def reject(token: str) -> float:
        raise ValueError(f"non-standard JSON token {token}")

    predictions = json.loads(body, parse_constant=reject)["predictions"]
    assert predictions[0]["p_accept"] is None or not math.isnan(predictions[0]["p_accept"])
    assert predictions[0]["score_error"]
