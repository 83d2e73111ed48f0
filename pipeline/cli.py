"""The `leadsift` command."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from leadsift.errors import LeadsiftError
from leadsift.params import load_project_params
from leadsift.pipeline.crm import add_preset, describe, with_preset
from leadsift.pipeline.excel import add_sheet_option


def cmd_demo_data(args: argparse.Namespace) -> int:
    from leadsift.pipeline.demo.simulator import write_demo_data

    paths = write_demo_data(Path(args.outdir), n_leads=args.leads, seed=args.seed)
    for name, path in paths.items():
        print(f"wrote {name}: {path}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from leadsift.pipeline.train import run_training, summary_text

    params = with_preset(load_project_params(args.params), args.preset)
    result = run_training(args.data, args.outcomes, params, force=args.force, sheet=args.sheet, decisions=args.decisions)
    print(summary_text(result, params.registry.model_name))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from leadsift.pipeline.files import check_input

    params = with_preset(load_project_params(args.params), args.preset)
    if args.engine == "spark":
        from leadsift.pipeline.spark_score import check_spark_args, score_files

        check_spark_args(args.input, capacity=args.capacity, sheet=args.sheet)
        summary = score_files(args.input, args.output, params, model_uri=args.model, master=args.master,
                              partitions=args.partitions, as_of=args.as_of)
    else:
        if args.master or args.partitions:
            raise LeadsiftError("--master and --partitions are for --engine spark")
        check_input(args.input)  # before the scorer's heavy imports: a typo in a path answers at once
        from leadsift.pipeline.score import score_file

        summary = score_file(args.input, args.output, params, model_uri=args.model, capacity=args.capacity,
                             as_of=args.as_of, sheet=args.sheet)
    from leadsift.pipeline.score import verdict_text

    print(verdict_text(summary))
    low = summary.verdicts[summary.verdicts["verdict"] == "low_quality"]
    if len(low) and args.fail_on_low_quality:
        print(f"{len(low)} source(s) low_quality: exiting with status 3 (--fail-on-low-quality)", file=sys.stderr)
        return 3
    if summary.coverage and args.strict:
        print(f"the list lacks columns the model leans on: exiting with status 3 (--strict): {summary.coverage}",
              file=sys.stderr)
        return 3
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    print(describe())
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    """`leadsift models` (list), `models compare V1 V2 --data FILE`, `models promote V --reason TEXT`."""
    params = with_preset(load_project_params(args.params), getattr(args, "preset", None))
    name = params.registry.model_name
    from leadsift.pipeline import registry

    if args.action == "compare":
        from leadsift.pipeline.files import check_input

        check_input(args.data)
        comparison = registry.compare_versions(name, args.first, args.second, args.data, params,
                                               outcomes=args.outcomes, sheet=args.sheet)
        print(registry.compare_text(comparison))
    elif args.action == "promote":
        print(registry.promote(name, args.version, args.reason))
    else:
        print(registry.versions_text(name, registry.list_versions(name)))
    return 0


def package_version() -> str:
    """This installation's version (pyproject's), without importing anything heavy."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leadsift")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number, `low` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, got {value}")
        return value

    return parse


def timestamp(text: str):  # noqa: ANN201 - a pandas Timestamp, imported here only when given
    """An argparse type: an ISO date or date-time, as naive UTC."""
    import pandas as pd

    try:
        when = pd.Timestamp(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an ISO date such as 2026-11-30, got {text!r}") from None
    return when.tz_convert("UTC").tz_localize(None) if when.tzinfo is not None else when


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadsift",
        description="Lead quality predictor: learn from your lead history which leads sales will accept.",
    )
    parser.add_argument("--version", action="version", version=f"leadsift {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from leadsift.pipeline.monitor.command import add_parser as add_monitor
    from leadsift.pipeline.sources.command import add_parser as add_sources

    p = sub.add_parser("demo-data", help="write a synthetic lead history and two new lists to OUTDIR")
    p.add_argument("outdir")
    p.add_argument("--leads", type=at_least(100), default=50_000, help="history size (default 50,000)")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("train", help="train, evaluate and register a model from a lead history")
    p.add_argument("--data", required=True, help="leads file (CSV, Parquet or .xlsx), with outcomes or not")
    p.add_argument("--outcomes", help="separate outcomes file joined on lead_id")
    p.add_argument("--params", help="params.yaml (default: ./params.yaml if present, else built-in defaults)")
    p.add_argument("--force", action="store_true", help="make the new version champion even if it scores lower")
    p.add_argument("--decisions", metavar="FILE",
                   help="the review committee's decisions (the review CSV of `leadsift sources`, decision column filled in)")
    add_preset(p)
    add_sheet_option(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("score", help="score a new lead list: p_accept, score, tier, reasons, and a verdict per source")
    p.add_argument("input", help="lead list (CSV, Parquet or .xlsx)")
    p.add_argument("-o", "--output", required=True,
                   help="scored file (CSV, Parquet or .xlsx, by extension; .xlsx for Excel, CSV to re-import into a CRM)")
    p.add_argument("--model", help="MLflow model URI (default: models:/<registry.model_name>@champion)")
    p.add_argument("--params", help="params.yaml (default: ./params.yaml if present)")
    p.add_argument("--capacity", type=at_least(0), help="sales can work N leads from this list: the top N are tier A")
    p.add_argument("--as-of", type=timestamp, metavar="DATE",
                   help="the list's date, UTC (default: the input file's modification time); later created_at values are noted")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 3 if the list lacks, or mostly leaves empty, a column the model leans on")
    p.add_argument("--fail-on-low-quality", action="store_true", help="exit with status 3 if a source is low_quality")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="spark: score a Parquet or CSV file or folder on Apache Spark into a Parquet folder (a CSV "
                        "folder if OUTPUT ends in .csv); needs pip install 'leadsift[spark]' (default: local, one process)")
    p.add_argument("--master", metavar="URL", help="with --engine spark: the Spark master (default local[*])")
    p.add_argument("--partitions", type=at_least(1), metavar="N", help="with --engine spark: split the list into about N parts")
    add_preset(p)
    add_sheet_option(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("presets", help="list the CRM export presets (--preset NAME)")
    p.set_defaults(func=cmd_presets)

    add_models_parser(sub)

    add_sources(sub)
    add_monitor(sub)
    return parser


def add_models_parser(sub) -> None:  # noqa: ANN001 - argparse's subparsers action
    """`leadsift models [compare|promote]`: the registered versions of registry.model_name."""
    params_help = "params.yaml naming the model (registry.model_name; default: ./params.yaml if present)"
    p = sub.add_parser("models", help="list the registered versions; compare two on a labelled file; promote one",
                       description="Without an action: every registered version of registry.model_name, newest first, "
                                   "with its test figures, data and aliases (* marks the champion).")
    p.add_argument("--params", help=params_help)
    p.set_defaults(func=cmd_models, action="list")
    actions = p.add_subparsers(dest="action", metavar="[ACTION]")
    # SUPPRESS: a sub-action's unset --params must not overwrite one given before the action.
    c = actions.add_parser("compare", help="score two versions on the same labelled file: ROC AUC, log loss, ECE, "
                                           "and the paired AUC difference")
    c.add_argument("first", metavar="V1", help="a version number (3 or v3)")
    c.add_argument("second", metavar="V2")
    c.add_argument("--data", required=True, help="labelled leads file (CSV, Parquet or .xlsx), as for `leadsift train`")
    c.add_argument("--outcomes", help="separate outcomes file joined on lead_id")
    c.add_argument("--params", default=argparse.SUPPRESS, help=params_help)
    add_preset(c)
    add_sheet_option(c)
    r = actions.add_parser("promote", help="move the champion alias to a version, recording why")
    r.add_argument("version", metavar="V", help="a version number (3 or v3)")
    r.add_argument("--reason", required=True, help="why (recorded as a tag on the version and on the model)")
    r.add_argument("--params", default=argparse.SUPPRESS, help=params_help)


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwinding like Ctrl-C so that every partial output is removed on the way out."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A user error is one line and exit 2; anything else is a bug, shown as one."""
    parser = build_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    prefix = f"leadsift {args.command}"
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        return int(args.func(args) or 0)
    except LeadsiftError as exc:
        print(f"{prefix}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the file system said no: a missing file, no permission, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{prefix}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print(f"{prefix}: {'terminated' if isinstance(exc, Terminated) else 'interrupted'}; "
              "no partial output was left behind", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except Exception:  # noqa: BLE001 - a bug: shown as one, with its traceback
        traceback.print_exc()
        print(f"{prefix}: internal error: this is a bug in leadsift, not a problem with your input; "
              "please report it with the traceback above", file=sys.stderr)
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
