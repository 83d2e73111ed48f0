"""`run_monitor`: score the new leads with the champion, compare with what happened and with training, alert."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import CREATED_AT
from leadsift.features.profile import FeatureDrift, compare
from leadsift.models.coverage import coverage_note, uncovered
from leadsift.models.scoring import score_in_chunks
from leadsift.params import Params
from leadsift.pipeline.chunk_scorer import fill_rates, source_names
from leadsift.pipeline.files import check_input, check_outputs, write_table, write_text
from leadsift.pipeline.ingest import History, load_history
from leadsift.pipeline.labels import too_young
from leadsift.pipeline.monitor.alerts import (
    Alert,
    drift_alerts,
    ranking_alerts,
    rate_alerts,
    verdict,
)
from leadsift.pipeline.monitor.result import Monitoring
from leadsift.pipeline.monitor.table import group_table, lead_frame
from leadsift.pipeline.sources.command import HTML_SUFFIXES
from leadsift.pipeline.tracking import WatchedModel, load_champion, watched_model

MISSING_TYPE = "(missing source type)"


@dataclass(frozen=True)
class MonitorRun:
    monitoring: Monitoring
    html: Path
    csv: Path | None
    run_id: str | None
    seconds: float


def run_monitor(
    data: Path | str,
    output: Path | str,
    params: Params,
    outcomes: Path | str | None = None,
    model_uri: str | None = None,
    csv: Path | str | None = None,
    sheet: str | None = None,
    log: bool = True,
    progress: Callable[[str], None] | None = None,
) -> MonitorRun:
    """Read the new leads (with outcomes where known), monitor them, write HTML (and CSV), log an MLflow run."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    output = Path(output)
    if output.suffix.lower() not in HTML_SUFFIXES:
        raise ContractError(f"the monitoring page is HTML: give -o a file ending in .html, got {output}")
    inputs = [check_input(data, "leads file"), *([check_input(outcomes, "outcomes file")] if outcomes else [])]
    check_outputs(inputs, [output, csv])
    say(f"[monitor] reading {data}")
    loading = params.model_copy(update={"split": params.split.model_copy(update={"method": "random"})})
    history = load_history(data, outcomes, loading, sheet=sheet, needs_outcomes=False)
    if history.raw.empty:
        raise ContractError(f"leads file {data} has no data rows: nothing to monitor (check the export)")
    say(f"[monitor] loading the model {model_uri or 'champion'}")
    bundle, uri = load_champion(model_uri, params.registry.model_name)
    if not bundle.profile:
        raise ContractError(f"{uri} was trained before leadsift kept a training snapshot to monitor against: "
                            "retrain it with `leadsift train` (this leadsift), then monitor again")
    say(f"[monitor] scoring {len(history.raw):,} leads")
    monitoring = monitor(history, bundle, uri, params, Path(data).name, say)
    csv_path = Path(csv) if csv else None
    if csv_path is not None:
        write_table(monitoring.table, csv_path, neutralize_formulas=True)
    from leadsift.pipeline.monitor.html import render_page

    write_text(render_page(monitoring), output)
    run_id = None
    if log:
        from leadsift.pipeline.monitor.log import log_monitoring

        say("[monitor] logging the run to MLflow")
        run_id = log_monitoring(monitoring, params.registry.experiment, params.registry.model_name, output, csv_path)
    return MonitorRun(monitoring, output, csv_path, run_id, time.perf_counter() - started)


def monitor(history: History, bundle, uri: str, params: Params, data_name: str,  # noqa: ANN001 - a ModelBundle
            say: Callable[[str], None]) -> Monitoring:
    """The monitoring of one file of new leads against the model that scores them."""
    typed = history.parsed.typed
    scores = score_in_chunks(bundle, history.raw, params.score.chunk_rows, now=history.as_of, with_reasons=False)
    source, _ = source_names(history.raw["source"])
    kind = typed["source_type"] if "source_type" in typed else pd.Series(pd.NA, index=typed.index, dtype="str")
    kind = kind.astype("str").str.strip().where(kind.notna() & (kind.astype("str").str.strip() != ""), MISSING_TYPE)
    created = typed[CREATED_AT] if CREATED_AT in typed else None
    young = too_young(created, history.as_of, params.label.maturity_days)  # the labels leave them out already
    leads = lead_frame(source, kind, created, scores["p_accept"].to_numpy(dtype="float64"), history.y, young)
    say(f"[monitor] comparing {int(leads['y'].notna().sum()):,} decided leads with their expected acceptance")
    dispersion = float(bundle.info.get("source_dispersion", 1.0))  # 1 for models trained before it was kept
    table = group_table(leads, params.monitor, dispersion)
    model = watched_model(uri, params.registry.model_name)
    say("[monitor] comparing the leads' features with the training snapshot")
    drift = compare(bundle.profile, bundle.builder.lead_features(typed))
    fill = fill_rates(history.raw, bundle.inputs)
    alerts = _alerts(table, leads, drift, bundle.inputs, fill, params, model, dispersion, bundle.target)
    table = _with_alerts(table, drift, fill, bundle.inputs, alerts)
    overall = table.iloc[0]
    retrain, sentence = verdict(alerts, int(overall["leads"]), int(overall["decided"]), params.monitor.min_decided)
    notes = list(history.notes)
    if dispersion > 1:
        notes.append(f"month, source type and source intervals and tests allow for how far sources strayed from their "
                     f"expected acceptance on the model's own test slice: {dispersion:.2f} times the variance of chance "
                     "alone (no model is exactly right for every source; that much is not a change)")
    if int(overall["young"]):
        notes.append(f"{int(overall['young']):,} lead(s) younger than {params.label.maturity_days:g} days at "
                     f"{_day(history.as_of)} are not judged on their outcomes yet (label.maturity_days)")
    return Monitoring(table, drift, fill, alerts, retrain, sentence, model, data_name, history.as_of,
                      params.label.maturity_days, notes, bundle.target)


def _day(when: pd.Timestamp | None) -> str:
    return "the export date" if when is None else f"{when:%Y-%m-%d}"


def _alerts(table: pd.DataFrame, leads: pd.DataFrame, drift: list[FeatureDrift], inputs: dict, fill: dict[str, float],
            params: Params, model: WatchedModel, dispersion: float, target: str) -> list[Alert]:
    p = params.monitor
    out = rate_alerts(table, leads, p, dispersion, "accepted" if target == "accepted" else "won")
    out += ranking_alerts(table[table["level"].isin(("overall", "month"))], p, model.test_figures.get("roc_auc"))
    out += drift_alerts(drift, p)
    if len(leads) >= p.min_decided:
        out += [Alert("column", c, "coverage", f"{coverage_note(inputs, fill, [c])}: map the column or fix the export "
                      "(scores of these leads lean on values they lack)", False) for c in uncovered(inputs, fill)]
    return out


def _with_alerts(table: pd.DataFrame, drift: list[FeatureDrift], fill: dict[str, float], inputs: dict,
                 alerts: list[Alert]) -> pd.DataFrame:
    """The group rows, then one per feature and per input column, each with its alert text ("" when fine)."""
    features = pd.DataFrame([{
        "level": "feature", "name": d.feature, "leads": d.rows, "importance": d.importance, "psi": d.psi,
        "drift_p_value": d.p_value,
        "missing_train": d.missing_train, "missing_new": d.missing_new, "unseen_share": d.unseen_share, "moved": d.moved,
    } for d in drift])
    columns = pd.DataFrame([{
        "level": "column", "name": c, "fill_train": r.fill_rate, "fill_new": fill.get(c, 0.0), "gain_share": r.gain_share,
    } for c, r in inputs.items()])
    out = pd.concat([table, features, columns], ignore_index=True)
    said = {}
    for a in alerts:
        said.setdefault((a.level, a.name), []).append(a.text)
    out["alert"] = [" | ".join(said.get((lv, nm), [])) for lv, nm in zip(out["level"], out["name"], strict=True)]
    return out
