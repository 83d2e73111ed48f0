"""End to end: every notebook under notebooks/ runs top to bottom on demo data, in a kernel of this venv.

Each runs with its working folder and the MLflow store in tmp_path, with the parameters it is saved
with (demo data, 8,000 leads, the repo's params.yaml), and must show what it is for.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")
kernelspec = pytest.importorskip("ipykernel.kernelspec")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "leadsift-test-python"
PROBE = "import sys\nprint('KERNEL_EXECUTABLE=' + sys.executable)\nprint('KERNEL_PREFIX=' + sys.prefix)"

# Texts each notebook's outputs must contain, and how many images it must show at least.
EXPECTED: dict[str, tuple[tuple[str, ...], int]] = {
    "01_explore_lead_history.ipynb": (
        ("Trade show 2025 iPad prize draw", "accept_rate", "cost_per_accepted",
         "of all leads were never worked", "unworked (label.unworked: exclude)", "Leakage audit:"),
        2,
    ),
    "02_evaluate_champion.ipynb": (
        ("[9/9] registering", "is now the champion", "roc_auc", "logreg", "icp_rules", "source_rate",
         "share_of_accepted_found", "reasons", "truth (p_accept_true)", "truth ROC AUC"),
        2,
    ),
    "03_compare_sources.ipynb": (
        ("Trade show 2025 iPad prize draw", "accept_low", "accept_high", "cost_per_accepted", "below average",
         "2025Q2", "Flagged as significantly below the average acceptance rate"),
        3,
    ),
}


def output_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            data = out.get("data", {})
            for mime in ("text/plain", "text/html"):
                if mime in data:
                    parts.append(str(data[mime]))
    return "\n".join(parts)


def image_count(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


@pytest.fixture()
def venv_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec in tmp_path that starts this interpreter (the venv's), found first via JUPYTER_PATH."""
    prefix = tmp_path / "jupyter"
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    kernelspec.install(kernel_name=KERNEL, display_name="leadsift test", prefix=str(prefix))
    return KERNEL


def test_there_are_notebooks_and_each_has_expectations():
    assert NOTEBOOKS, f"no notebooks found under {ROOT / 'notebooks'}"
    assert {p.name for p in NOTEBOOKS} == set(EXPECTED), "every notebook needs an entry in EXPECTED"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_saved_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown", "the first cell says what the notebook is for"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), f"{path.name}: clear the outputs"
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "DATA = None" in params[0].source and "N_LEADS = 8000" in params[0].source


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS or [None], ids=lambda p: p.stem if p else "none-found")
def test_notebook_runs_top_to_bottom(path: Path | None, tmp_path: Path, venv_kernel: str, monkeypatch):
    assert path is not None, f"no notebooks found under {ROOT / 'notebooks'}"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    store = tmp_path / "store"
    store.mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{store / 'mlflow.db'}")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name=venv_kernel, allow_errors=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.1f}s")

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    text = output_text(nb)
    assert f"KERNEL_EXECUTABLE={sys.executable}\n" in text, "the kernel must be this venv's python"
    assert f"KERNEL_PREFIX={sys.prefix}\n" in text
    needles, images = EXPECTED[path.name]
    missing = [needle for needle in needles if needle not in text]
    assert not missing, f"{path.name}: outputs lack {missing}"
    assert image_count(nb) >= images, f"{path.name}: {image_count(nb)} images shown, expected {images}"
    if path.name.startswith("02_"):
        assert (store / "mlflow.db").is_file(), "the run goes to MLFLOW_TRACKING_URI when it is set"
    # Nothing written where it ran: no mlflow.db, mlruns or demo files in the working folder.
    assert list(workdir.iterdir()) == []
