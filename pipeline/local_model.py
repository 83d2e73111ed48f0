"""A registered model in a local sqlite store, found without importing MLflow.

Importing MLflow, opening its store and loading a pyfunc model take about 3 s: most of the time of
scoring a short list. In the usual set-up (a `models:/NAME@ALIAS` or `models:/NAME/VERSION` URI, the
sqlite store, which leadsift also uses as the registry, and artifacts on local disk) the registry's
alias and version rows are read directly, read-only, and the bundle is read from the model's own
folder. Anything else (another kind of store or URI, artifacts elsewhere, MLflow workspaces, a
registry layout this code does not know) gives None, and the caller loads the model through MLflow
as before. tests/e2e/test_registry_cli.py checks that both ways find the same model.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import pathname2url

import yaml

_MODELS_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:@(?P<alias>[^/@]+)|/(?P<version>\d+))$")


def local_bundle(uri: str, db: Path) -> Path | None:
    """The bundle folder of the registered model `uri` in the sqlite store file `db`, or None (see the module)."""
    found = registered_version(uri, db)
    return _bundle_folder(found[1]) if found is not None else None


def registered_version(uri: str, db: Path) -> tuple[str, str] | None:
    """(version, storage location) of the READY registered version `uri` names in the sqlite store `db`, or None."""
    match = _MODELS_URI.match(uri)
    if match is None or os.environ.get("MLFLOW_WORKSPACE"):
        return None
    try:
        return _version_row(db, match["name"], match["alias"], match["version"])
    except sqlite3.Error:
        return None


def _version_row(db: Path, name: str, alias: str | None, version: str | None) -> tuple[str, str] | None:
    """The READY version the alias (or number) names and where it keeps its files, from the registry's own tables."""
    with sqlite3.connect(f"file:{pathname2url(str(db.resolve()))}?mode=ro", uri=True) as con:
        if alias is not None:
            row = con.execute("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?"
                              + _default_workspace(con, "registered_model_aliases"), (name, alias)).fetchone()
            if row is None:
                return None
            version = str(row[0])
        row = con.execute("SELECT storage_location, status FROM model_versions WHERE name = ? AND version = ?"
                          + _default_workspace(con, "model_versions"), (name, int(version))).fetchone()
    return (version, row[0]) if row is not None and row[1] == "READY" else None


def _default_workspace(con: sqlite3.Connection, table: str) -> str:
    """Registries with workspaces hold every model once per workspace: without MLFLOW_WORKSPACE, the default's."""
    columns = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    return " AND workspace = 'default'" if "workspace" in columns else ""


def _bundle_folder(location: str) -> Path | None:
    """The leadsift bundle inside a model folder given as a file: URI, as its MLmodel file names it."""
    parsed = urlparse(location)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    model = Path(unquote(parsed.path))
    try:
        spec = yaml.safe_load((model / "MLmodel").read_text(encoding="utf-8"))
        relative = spec["flavors"]["python_function"]["artifacts"]["bundle"]["path"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return None
    folder = model / relative
    return folder if (folder / "bundle.json").is_file() else None
