"""`leadsift monitor`: wired into the `leadsift` command with `add_parser(sub)`; `run_monitor` does the work."""

from __future__ import annotations

import argparse
import sys

from leadsift.params import load_project_params
from leadsift.pipeline.crm import add_preset, with_preset
from leadsift.pipeline.excel import add_sheet_option
from leadsift.pipeline.files import check_input

ALERT_EXIT = 3  # --fail-on-alert: what a scheduler sees when something needs a look


def summary_text(run) -> str:  # noqa: ANN001 - a MonitorRun, whose module is imported only when the command runs
    """What the command prints: the verdict, each alert, and where the outputs are."""
    m = run.monitoring
    lines = [m.verdict, *(f"alert: {a.text}" for a in m.alerts)]
    lines.append(f"wrote monitoring page: {run.html}")
    if run.csv is not None:
        lines.append(f"wrote table: {run.csv}")
    if run.run_id:
        lines.append(f"MLflow run {run.run_id} (watching {m.model.uri}" +
                     (f", version {m.model.version})" if m.model.version else ")"))
    lines.append(f"took {run.seconds:.1f} s")
    return "\n".join(lines)


def cmd_monitor(args: argparse.Namespace) -> int:
    params = with_preset(load_project_params(args.params), args.preset)
    check_input(args.data, "leads file")  # before the heavy imports: a typo in a path answers at once
    from leadsift.pipeline.monitor.run import run_monitor

    run = run_monitor(args.data, args.output, params, outcomes=args.outcomes, model_uri=args.model, csv=args.csv,
                      sheet=args.sheet, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(summary_text(run))
    if run.monitoring.alerts and args.fail_on_alert:
        print(f"{len(run.monitoring.alerts)} alert(s): exiting with status {ALERT_EXIT} (--fail-on-alert)", file=sys.stderr)
        return ALERT_EXIT
    return 0


def add_parser(subparsers) -> None:  # noqa: ANN001 - argparse's private _SubParsersAction
    """Add `leadsift monitor` to the command's subparsers."""
    p = subparsers.add_parser(
        "monitor",
        help="are the scores still right? expected against realized acceptance, drift, alerts, retrain verdict",
        description="Leads that came in after the model's training period, with outcomes where they are known: "
                    "per month, source and source type, what the model expected against what happened, how far "
                    "the leads moved from the training leads, and whether to retrain.",
    )
    p.add_argument("--data", required=True, help="new leads (CSV, Parquet or .xlsx), with outcomes where known")
    p.add_argument("--outcomes", help="separate outcomes file joined on lead_id")
    p.add_argument("--model", help="MLflow model URI (default: models:/<registry.model_name>@champion)")
    p.add_argument("--params", help="params.yaml (default: ./params.yaml if present, else built-in defaults)")
    p.add_argument("-o", "--output", required=True, help="the monitoring page, an .html file")
    p.add_argument("--csv", help="also write the table: one row per (level, name), with its alert")
    p.add_argument("--fail-on-alert", action="store_true", help=f"exit with status {ALERT_EXIT} if there is any alert")
    add_preset(p)
    add_sheet_option(p)
    p.set_defaults(func=cmd_monitor)
