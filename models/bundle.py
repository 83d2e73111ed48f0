"""Everything the scorer needs, and its files: a folder any machine with the requirements can read.

No pickled project objects: the booster is LightGBM's own model text, the history snapshot and the
known-contact hashes are Parquet, everything else is one JSON file. The path tables and the
reasoner are derived from those when first used, so they cannot disagree with the booster.
Scoring reads the trees from that text and never imports LightGBM (with scikit-learn and scipy,
its import costs more than scoring a list); `booster` loads LightGBM for whoever needs it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from leadsift.features.build import FeatureBuilder
from leadsift.features.contract import LEAD_COLUMNS
from leadsift.features.history import KeyHistory
from leadsift.models.calibration import Calibrator
from leadsift.models.coverage import InputRecord
from leadsift.models.linear import LinearModel
from leadsift.models.reasons import Reasoner
from leadsift.models.treewalk import PathTables, explain, path_tables
from leadsift.params import FeatureParams, IcpParams, TierParams

if TYPE_CHECKING:
    import lightgbm as lgb

FORMAT = 1
_LEAD, _DECIDED, _WON = 0, 1, 2  # event kinds in a history's events file


@dataclass(frozen=True)
class ModelBundle:
    """The fitted feature builder, booster (as LightGBM's model text), calibrator and the settings that shape
    the output."""

    builder: FeatureBuilder
    booster_text: str = field(repr=False)  # `Booster.model_to_string()`, as booster.txt holds it
    calibrator: Calibrator
    tiers: TierParams
    target: str
    reasons_top: int
    columns: tuple[str, ...]
    info: dict[str, object] = field(default_factory=dict)
    known_contacts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype="uint64"))  # sorted e-mail hashes
    inputs: dict[str, InputRecord] = field(default_factory=dict)  # how much the model leans on each input column
    linear: LinearModel | None = None  # the champion when the logistic candidate won; else the booster is
    profile: dict[str, object] = field(default_factory=dict)  # training snapshot of the lead features (monitoring)

    @property
    def kind(self) -> str:
        return "logistic" if self.linear is not None else "lightgbm"

    def explain(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The champion's raw scores (log-odds) and rows x features contributions."""
        return self.linear.explain(X) if self.linear is not None else explain(self.tables, X)

    @cached_property
    def tables(self) -> PathTables:
        return path_tables(self.booster_text)

    @cached_property
    def booster(self) -> lgb.Booster:
        """LightGBM's own booster, for checks, importances and benchmarks: scoring does not need it."""
        import lightgbm as lgb

        return lgb.Booster(model_str=self.booster_text)

    @cached_property
    def reasoner(self) -> Reasoner:
        return Reasoner.build(
            tuple(self.builder.columns), self.reasons_top, self.builder.params.committee_window_days, self.target,
            source_vocab=frozenset(self.builder.vocab.get("source", ())[:-1]),  # the last is "(other)"
        )

    @property
    def input_columns(self) -> tuple[str, ...]:
        """The raw columns the model reads: the contract's lead columns and the extra features."""
        f = self.builder.params
        extras = (*f.extra_numeric, *f.extra_categorical, *f.history_keys)
        return tuple(dict.fromkeys((*LEAD_COLUMNS, *extras)))


def save_bundle(bundle: ModelBundle, folder: Path | str) -> Path:
    """Write the bundle's files into `folder` (created; must be empty or new)."""
    folder = Path(folder)
    (folder / "history").mkdir(parents=True, exist_ok=True)
    (folder / "booster.txt").write_text(bundle.booster_text, encoding="utf-8")
    b = bundle.builder
    for name, history in b.histories.items():
        _save_history(history, folder / "history", name)
    pq.write_table(pa.table({"hash": pa.array(bundle.known_contacts, pa.uint64())}), folder / "known_contacts.parquet")
    c = bundle.calibrator
    meta = {
        "format": FORMAT,
        "features": b.params.model_dump(mode="json"),
        "icp": b.icp.model_dump(mode="json"),
        "use_history": b.use_history,
        "source_as_category": b.source_as_category,
        "vocab": {name: list(values) for name, values in b.vocab.items()},
        "numeric": list(b.numeric),
        "as_of": None if b.as_of is None else b.as_of.isoformat(),
        "histories": {name: _stamp(h.end) for name, h in b.histories.items()},
        "calibrator": {"method": c.method, "slope": c.slope, "intercept": c.intercept, "x": list(c.x), "y": list(c.y),
                       "follow": c.follow, "reference": c.reference},
        "tiers": bundle.tiers.model_dump(mode="json"),
        "target": bundle.target,
        "reasons_top": bundle.reasons_top,
        "columns": list(bundle.columns),
        "info": bundle.info,
        "inputs": {name: asdict(record) for name, record in bundle.inputs.items()},
        "profile": bundle.profile,
    }
    if bundle.linear is not None:
        (folder / "linear.json").write_text(json.dumps(bundle.linear.to_dict(), indent=1), encoding="utf-8")
    (folder / "bundle.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return folder


def load_bundle(folder: Path | str) -> ModelBundle:
    """Read a bundle written by `save_bundle`."""
    folder = Path(folder)
    meta = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{folder} holds bundle format {meta.get('format')!r}; this leadsift reads format {FORMAT}")
    histories = {
        name: _load_history(folder / "history", name, _time(end)) for name, end in meta["histories"].items()
    }
    builder = FeatureBuilder(
        params=FeatureParams.model_validate(meta["features"]),
        icp=IcpParams.model_validate(meta["icp"]),
        use_history=meta["use_history"],
        source_as_category=meta["source_as_category"],
        histories=histories,
        vocab={name: tuple(values) for name, values in meta["vocab"].items()},
        numeric=tuple(meta["numeric"]),
        as_of=_time(meta["as_of"]),
    )
    c = meta["calibrator"]
    linear = folder / "linear.json"
    known = pq.read_table(folder / "known_contacts.parquet").column("hash").to_numpy()
    return ModelBundle(
        builder=builder,
        booster_text=(folder / "booster.txt").read_text(encoding="utf-8"),
        calibrator=Calibrator(c["method"], c["slope"], c["intercept"], tuple(c["x"]), tuple(c["y"]),
                              c.get("follow", ""), c.get("reference", 0.0)),
        tiers=TierParams.model_validate(meta["tiers"]),
        target=meta["target"],
        reasons_top=meta["reasons_top"],
        columns=tuple(meta["columns"]),
        info=meta["info"],
        known_contacts=np.asarray(known, dtype="uint64"),
        inputs={name: InputRecord(r["gain_share"], r["fill_rate"], tuple(r["candidates"]))
                for name, r in meta.get("inputs", {}).items()},
        linear=LinearModel.from_dict(json.loads(linear.read_text(encoding="utf-8"))) if linear.exists() else None,
        profile=meta.get("profile", {}),  # absent in models trained before monitoring existed
    )


def _stamp(when: pd.Timestamp | None) -> str | None:
    return None if when is None else pd.Timestamp(when).isoformat()


def _time(text: str | None) -> pd.Timestamp | None:
    return None if text is None else pd.Timestamp(text)


def _save_history(history: KeyHistory, folder: Path, name: str) -> None:
    """Keys in one file; lead, decided (with acceptance) and won events in another."""
    pq.write_table(pa.table({"key": pa.array(history.keys.to_numpy(dtype=object), pa.string())}), folder / f"{name}.keys.parquet")
    accepted = np.diff(history.accepted_cum).astype("int8")
    kinds = [np.full(len(history.lead_events), _LEAD), np.full(len(history.decided_events), _DECIDED),
             np.full(len(history.won_events), _WON)]
    columns = {
        "kind": pa.array(np.concatenate(kinds).astype("int8")),
        "event": pa.array(np.concatenate([history.lead_events, history.decided_events, history.won_events])),
        "accepted": pa.array(np.concatenate([np.zeros(len(history.lead_events), "int8"), accepted,
                                             np.zeros(len(history.won_events), "int8")])),
    }
    if history.expected_cum is not None:
        # the prefix sums themselves, so that a loaded model looks up exactly the same numbers
        columns["expected_cum"] = pa.array(np.concatenate([np.zeros(len(history.lead_events)), history.expected_cum[1:],
                                                           np.zeros(len(history.won_events))]))
    pq.write_table(pa.table(columns), folder / f"{name}.events.parquet")


def _load_history(folder: Path, name: str, end: pd.Timestamp | None) -> KeyHistory:
    keys = pd.Index(pq.read_table(folder / f"{name}.keys.parquet").column("key").to_pandas())
    events = pq.read_table(folder / f"{name}.events.parquet")
    kind = events.column("kind").to_numpy()
    event = events.column("event").to_numpy()
    accepted = events.column("accepted").to_numpy()[kind == _DECIDED].astype("int64")
    expected = None
    if "expected_cum" in events.column_names:
        expected = np.concatenate([[0.0], events.column("expected_cum").to_numpy()[kind == _DECIDED]])
    return KeyHistory(
        keys=keys,
        lead_events=event[kind == _LEAD],
        decided_events=event[kind == _DECIDED],
        accepted_cum=np.concatenate([[0], np.cumsum(accepted)]).astype("int64"),
        won_events=event[kind == _WON],
        end=end,
        expected_cum=expected,
    )
