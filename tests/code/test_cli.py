"""The command line: an input error answers before anything heavy is imported."""

import subprocess
import sys

CHECK = """
import sys
from leadsift.pipeline.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("lightgbm", "mlflow", "numba", "sklearn") if m in sys.modules)
print(code, ",".join(heavy))
"""


def test_a_missing_input_is_reported_before_the_model_or_its_libraries_load(tmp_path):
    done = subprocess.run([sys.executable, "-c", CHECK, "score", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    assert "input file" in done.stderr and "does not exist" in done.stderr
    assert done.stdout.split() == ["2"], done.stdout  # exit 2, and none of lightgbm, mlflow, numba, sklearn imported
