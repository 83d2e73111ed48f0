"""`leadsift sources`: the source quality report (HTML), its table (CSV) and the disputed leads (CSV).

Wired into the `leadsift` command with `add_parser(sub)`; `run_sources` does the work and is what
tests and notebooks call.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError, ModelNotFound
from leadsift.features.contract import LEAD_ID
from leadsift.params import Params, load_project_params
from leadsift.pipeline.crm import add_preset, with_preset
from leadsift.pipeline.excel import SOURCES_SHEET, add_sheet_option
from leadsift.pipeline.files import check_input, check_outputs, write_table, write_text
from leadsift.pipeline.ingest import load_history
from leadsift.pipeline.review.decisions import read_decisions
from leadsift.pipeline.sources.html import relative_href, render_report
from leadsift.pipeline.sources.league import league_table
from leadsift.pipeline.sources.plan import GoalKind
from leadsift.pipeline.sources.report import Scorer, SourceReport, build_report, flagged_sources
from leadsift.pipeline.sources.scored import scored_lists
from leadsift.pipeline.sources.spend import read_spend

HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class SourcesRun:
    """What `run_sources` made and where it wrote it."""

    report: SourceReport
    html: Path
    csv: Path | None
    disputed: Path
    seconds: float
    xlsx: Path | None = None
    review: Path | None = None  # the review queue CSV, for the committee to fill in
    patterns: Path | None = None
    followup: Path | None = None
    findings: Path | None = None  # with --decisions: what the committee found, per source and per pattern


def default_disputed_path(output: Path | str) -> Path:
    """`<report without extension>.disputed.csv`."""
    return beside(output, "disputed")


def beside(output: Path | str, what: str) -> Path:
    """`<report without extension>.<what>.csv`: the report's CSV files sit beside it."""
    output = Path(output)
    return output.with_name(f"{output.stem}.{what}.csv")


def champion_scorer(params: Params) -> tuple[Scorer | None, str, float]:
    """The registered champion as a function raw rows -> p_accept, score, tier, reasons, the model it is
    (URI and version) and its training rows' acceptance rate; or None, why not, and NaN."""
    from leadsift.models.scoring import score_in_chunks
    from leadsift.pipeline.tracking import load_champion, watched_model

    try:
        bundle, uri = load_champion(None, params.registry.model_name)
    except ModelNotFound as exc:
        return None, str(exc).split(". ")[0], float("nan")
    chunk_rows = params.score.chunk_rows
    version = watched_model(uri, params.registry.model_name).version

    def score(raw: pd.DataFrame) -> pd.DataFrame:
        return score_in_chunks(bundle, raw, chunk_rows)

    named = f"{uri}, version {version}" if version else uri
    return score, named, float(bundle.info.get("historical_accept_rate", float("nan")))


def run_sources(
    data: Path | str,
    output: Path | str,
    params: Params,
    outcomes: Path | str | None = None,
    spend: Path | str | None = None,
    scored: list[Path | str] | tuple[Path | str, ...] = (),
    csv: Path | str | None = None,
    disputed: Path | str | None = None,
    goal_kind: GoalKind | None = None,
    goal_value: float | None = None,
    period_weeks: float = 13.0,
    capacity_per_week: float | None = None,
    use_model: bool = True,
    scorer: Scorer | None = None,
    progress: Callable[[str], None] | None = None,
    xlsx: Path | str | None = None,
    sheet: str | None = None,
    decisions: Path | str | None = None,
    params_source: str = "given in code",
) -> SourcesRun:
    """Read the history (and spend, scored lists), build the report, write HTML, table CSV (and .xlsx) and disputed CSV.

    `scorer` replaces the champion model (tests); `use_model=False` uses the ICP only; `progress`
    receives a line before each slow step; `sheet` is the worksheet of an .xlsx `data` file.
    Beside the report: the review queue (`.review.csv`), its patterns (`.patterns.csv`) and the
    follow-up figures (`.followup.csv`); `decisions` is a review file the committee filled in (what it
    found goes to `.findings.csv`);
    `params_source` says where `params` came from (the report names it).
    """
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    output = Path(output)
    if output.suffix.lower() not in HTML_SUFFIXES:
        raise ContractError(f"the report is HTML: give -o a file ending in .html, got {output}")
    if goal_kind is not None and (goal_value is None or not goal_value > 0):
        raise ContractError(f"the goal must be a positive number, got {goal_value!r}")
    if capacity_per_week is not None and not capacity_per_week > 0:
        raise ContractError(f"--capacity-per-week must be a positive number, got {capacity_per_week!r}")
    if not period_weeks > 0:
        raise ContractError(f"--period-weeks must be a positive number, got {period_weeks!r}")
    disputed_path = Path(disputed) if disputed else default_disputed_path(output)
    if xlsx is not None and Path(xlsx).suffix.lower() != ".xlsx":
        raise ContractError(f"--xlsx writes an Excel workbook: give it a file ending in .xlsx, got {xlsx}")
    inputs = [check_input(data, "leads file"), *(check_input(p, what) for p, what in
              ((outcomes, "outcomes file"), (spend, "spend file")) if p is not None),
              *(check_input(p, "scored list") for p in scored),
              *((check_input(decisions, "decisions file"),) if decisions is not None else ())]
    review_paths = {what: beside(output, what) for what in ("review", "patterns", "followup")}
    if decisions is not None:
        review_paths["findings"] = beside(output, "findings")
    check_outputs(inputs, [output, csv, xlsx, disputed_path, *review_paths.values()])
    # The report does not split the data, so a history without dates still works (no trend, no plan).
    loading = params.model_copy(update={"split": params.split.model_copy(update={"method": "random"})})
    say(f"[sources] reading {data}")
    history = load_history(data, outcomes, loading, sheet=sheet)
    for note in history.notes:
        say(f"[sources] note: {note}")
    spend_frame = read_spend(spend) if spend is not None else None
    from leadsift.pipeline.run_log import file_sha256  # here: run_log brings MLflow, which `leadsift score` must not load

    note, model_average = "", float("nan")
    if scorer is None and use_model:
        scorer, note, model_average = champion_scorer(params)
        say(
            f"[sources] scoring {len(history.raw):,} history leads with {note}"
            if scorer is not None
            else f"[sources] no champion model ({note}): using the ideal customer profile only"
        )
    elif not use_model:
        note = "--no-model"
    else:
        note = "given scorer"
    found = read_decisions(decisions, history.parsed.typed[LEAD_ID]) if decisions is not None else None
    lists = scored_lists(list(scored), league_table(history, params, spend_frame)) if scored else None
    report = build_report(
        history,
        params,
        spend=spend_frame,
        scored=lists,
        scorer=scorer,
        scorer_note=note,
        goal_kind=goal_kind,
        goal_value=goal_value,
        period_weeks=period_weeks,
        capacity_per_week=capacity_per_week,
        decisions=found,
        provenance={"params": params_source, "model": note if scorer is not None and use_model else "none (ICP only)",
                    "data": f"{Path(data).name} ({len(history.raw):,} rows, sha256 {file_sha256(data, outcomes)[:12]})"},
        model_average=model_average,
    )
    write_table(report.disputed, disputed_path, neutralize_formulas=True)
    write_table(report.review.queue, review_paths["review"], neutralize_formulas=True)
    write_table(report.review.patterns, review_paths["patterns"], neutralize_formulas=True)
    write_table(report.review.followup, review_paths["followup"], neutralize_formulas=True)
    if "findings" in review_paths:
        write_table(report.review.findings, review_paths["findings"], neutralize_formulas=True)
    csv_path = Path(csv) if csv else None
    if csv_path is not None:
        write_table(report.table, csv_path, neutralize_formulas=True)
    xlsx_path = Path(xlsx) if xlsx else None
    if xlsx_path is not None:
        write_table(report.table, xlsx_path, sheet=SOURCES_SHEET)
    from leadsift.pipeline.monitor.log import latest_monitoring  # here: it brings the model's libraries

    monitoring = latest_monitoring(params.registry.model_name) if use_model else None
    html = render_report(
        report,
        data_name=Path(data).name,
        disputed_href=relative_href(disputed_path, output),
        review_href=relative_href(review_paths["review"], output),
        csv_href=relative_href(csv_path, output) if csv_path is not None else None,
        monitoring=monitoring,
        monitoring_href=relative_href(monitoring["html"], output) if monitoring and Path(monitoring["html"]).exists()
        else None,
    )
    write_text(html, output)
    return SourcesRun(report, output, csv_path, disputed_path, time.perf_counter() - started, xlsx_path,
                      review=review_paths["review"], patterns=review_paths["patterns"], followup=review_paths["followup"],
                      findings=review_paths.get("findings"))


def summary_text(run: SourcesRun) -> str:
    """What the command prints: flagged sources, the summary sentences, and where the files are."""
    report = run.report
    flagged = flagged_sources(report.table)
    lines = [f"flagged below average: {', '.join(flagged) if flagged else 'none'}"]
    lines += [f"- {s}" for s in report.summary]
    size_kb = run.html.stat().st_size / 1024 if run.html.exists() else 0.0
    lines.append(f"wrote report: {run.html} ({size_kb:,.0f} KB)")
    if run.csv is not None:
        lines.append(f"wrote table: {run.csv}")
    if run.xlsx is not None:
        lines.append(f"wrote table: {run.xlsx}")
    lines.append(f"wrote disputed leads: {run.disputed} ({len(report.disputed):,} rows)")
    review = report.review
    if run.review is not None:
        lines.append(f"wrote review queue: {run.review} ({len(review.queue):,} of {len(report.disputed):,} disputed leads; "
                     f"room for {review.size:,})")
        lines.append(f"wrote patterns: {run.patterns} ({len(review.patterns):,} patterns covering every disputed lead once)")
        lines.append(f"wrote follow-up: {run.followup}")
    if len(review.findings):
        decided = int(review.findings.loc[review.findings["level"] == "source", "decided"].sum())
        lines.append(f"committee decisions read: {decided:,}; wrote findings: {run.findings}")
    lines.append(f"took {run.seconds:.1f} s")
    return "\n".join(lines)


def cmd_sources(args: argparse.Namespace) -> int:
    params = with_preset(load_project_params(args.params), args.preset)
    goal_kind: GoalKind | None = None
    goal_value = None
    if args.goal_accepted is not None:
        goal_kind, goal_value = "accepted", float(args.goal_accepted)
    elif args.goal_revenue is not None:
        goal_kind, goal_value = "revenue", float(args.goal_revenue)
    if args.no_model:
        print("[sources] not loading a model (--no-model)", file=sys.stderr)
    run = run_sources(
        args.data,
        args.output,
        params,
        outcomes=args.outcomes,
        spend=args.spend,
        scored=args.scored,
        csv=args.csv,
        disputed=args.disputed,
        goal_kind=goal_kind,
        goal_value=goal_value,
        period_weeks=args.period_weeks,
        capacity_per_week=args.capacity_per_week,
        use_model=not args.no_model,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        xlsx=args.xlsx,
        sheet=args.sheet,
        decisions=args.decisions,
        params_source=args.params or ("params.yaml" if Path("params.yaml").exists() else "built-in defaults"),
    )
    print(summary_text(run))
    return 0


def add_parser(subparsers) -> None:  # noqa: ANN001 - argparse's private _SubParsersAction
    """Add `leadsift sources` to the command's subparsers."""
    p = subparsers.add_parser(
        "sources",
        help="source quality report: league table, plan, capacity, disputed leads (HTML and CSV)",
        description="What each lead source really yields and costs, what to plan, and which leads are disputed.",
    )
    p.add_argument("--data", required=True, help="lead history (CSV, Parquet or .xlsx) with outcomes, or with --outcomes")
    p.add_argument("--outcomes", help="separate outcomes file joined on lead_id")
    p.add_argument("--spend", help="spend table: columns source, spend (wins over per-lead cost where both exist)")
    p.add_argument(
        "--scored",
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="outputs of `leadsift score` to show beside the history",
    )
    p.add_argument("--params", help="params.yaml (default: ./params.yaml if present, else built-in defaults)")
    p.add_argument("-o", "--output", required=True, help="the report, an .html file")
    p.add_argument("--csv", help="also write the league table as CSV")
    p.add_argument("--xlsx", metavar="FILE", help="also write the league table as an Excel workbook (.xlsx)")
    p.add_argument("--disputed", help="disputed leads CSV (default: <report without extension>.disputed.csv)")
    p.add_argument("--decisions", metavar="FILE",
                   help="the review CSV with the committee's decisions filled in: what it found, per source and pattern")
    goal = p.add_mutually_exclusive_group()
    goal.add_argument("--goal-accepted", type=float, metavar="N", help="plan for N accepted leads in the period")
    goal.add_argument("--goal-revenue", type=float, metavar="X", help="plan for X revenue in the period")
    p.add_argument(
        "--period-weeks", type=float, default=13.0, metavar="W", help="planning period in weeks (default 13)"
    )
    p.add_argument(
        "--capacity-per-week",
        type=float,
        metavar="N",
        help="leads sales can work a week (default: the share they worked in the history, applied to recent arrivals)",
    )
    p.add_argument(
        "--no-model",
        action="store_true",
        help="do not load the champion model; rank by the ideal customer profile only",
    )
    add_preset(p)
    add_sheet_option(p)
    p.set_defaults(func=cmd_sources)
