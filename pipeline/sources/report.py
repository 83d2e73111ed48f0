"""The whole source report: every table, the plan, capacity view, disputed leads, summary and notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.params import Params, SourcesParams
from leadsift.pipeline.ingest import History
from leadsift.pipeline.review.build import Review, build_review
from leadsift.pipeline.sources.capacity import CapacityView, capacity_view, recent_window
from leadsift.pipeline.sources.disputes import disputed_leads
from leadsift.pipeline.sources.format import pct
from leadsift.pipeline.sources.icp import icp_criteria, icp_scores
from leadsift.pipeline.sources.league import league_from_leads, totals
from leadsift.pipeline.sources.outcomes import history_weeks, lead_outcomes
from leadsift.pipeline.sources.plan import GoalKind, Plan, plan_for_goal
from leadsift.pipeline.sources.prose import outcome_word, summary_sentences
from leadsift.pipeline.sources.scored import SCORED_COLUMNS
from leadsift.pipeline.sources.trend import trend_from_leads

Scorer = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class SourceReport:
    """Everything the HTML report shows."""

    table: pd.DataFrame
    trend: pd.DataFrame
    plan: Plan | None
    capacity: CapacityView | None
    disputed: pd.DataFrame  # every disputed lead, with its pattern_id
    scored: pd.DataFrame
    summary: list[str]
    notes: list[str]
    facts: dict[str, object]
    review: Review


def build_report(
    history: History,
    params: Params,
    spend: pd.DataFrame | None = None,
    scored: pd.DataFrame | None = None,
    scorer: Scorer | None = None,
    scorer_note: str = "",
    goal_kind: GoalKind | None = None,
    goal_value: float | None = None,
    period_weeks: float = 13.0,
    capacity_per_week: float | None = None,
    decisions: pd.DataFrame | None = None,
    provenance: dict[str, str] | None = None,
    model_average: float = float("nan"),
) -> SourceReport:
    """Compute the league table, trend, plan, capacity view, disputed leads, summary and notes.

    `scorer` maps raw history rows to p_accept, score, tier, reasons (the champion model); without
    it the capacity view and the disputed list use the ideal customer profile only. With no goal,
    the plan aims at the history's average accepted leads per period. `decisions` (`read_decisions`
    rows) adds what the review committee found per source and per pattern. `provenance` names the
    params file, model and data the report used; `model_average` is the champion's training rate.
    """
    if not period_weeks > 0:
        raise ContractError(f"--period-weeks must be a positive number, got {period_weeks!r}")
    sp = params.sources
    leads = lead_outcomes(history, spend)
    if leads.empty:
        raise ContractError("the history has no leads: the source report needs at least one row")
    table = league_from_leads(leads, sp)
    t = totals(table)
    weeks = history_weeks(leads)
    plan, plan_notes = _plan(table, t, weeks, goal_kind, goal_value, period_weeks)
    typed = history.parsed.typed
    model_scores = scorer(history.raw) if scorer is not None else None
    basis = "model" if model_scores is not None else "icp"
    scores = model_scores if model_scores is not None else icp_scores(typed, leads, params.icp)
    capacity, capacity_notes = None, []
    if np.isfinite(weeks):
        capacity, capacity_notes = _capacity(leads, t, scores, basis, weeks, period_weeks, capacity_per_week)
    criteria = icp_criteria(typed, params.icp)
    disputed = disputed_leads(leads, criteria, model_scores, sp.disputed_high_share, sp.disputed_low_share)
    review = build_review(disputed, leads, typed, history.raw, scores, sp.review_per_week, period_weeks,
                          sp.owner_column, decisions)
    scored_frame = scored if scored is not None else pd.DataFrame(columns=list(SCORED_COLUMNS))
    notes = [
        *_spend_notes(table, leads, spend),
        *plan_notes,
        _scores_note(scorer is not None, scorer_note),
        _average_note(t, model_average),
        *capacity_notes,
        *_closing_notes(table, t, sp, period_weeks),
    ]
    return SourceReport(
        table=table,
        trend=trend_from_leads(leads),
        plan=plan,
        capacity=capacity,
        disputed=review.disputed,
        scored=scored_frame,
        summary=summary_sentences(table, plan, capacity, review.disputed, scored_frame, outcome_word(params.target),
                                  default_goal=goal_kind is None, review=review, currency=params.report.currency),
        notes=notes,
        facts={**_facts(leads, weeks, period_weeks, basis, params.target, t), "provenance": dict(provenance or {}),
               "currency": params.report.currency, "goal_default": goal_kind is None},
        review=review,
    )


def flagged_sources(table: pd.DataFrame) -> list[str]:
    """Names of the sources flagged below average, in table order."""
    rows = table[(table["level"] == "source") & table["below_average"]]
    return [str(x) for x in rows["name"]]


def _spend_notes(table: pd.DataFrame, leads: pd.DataFrame, spend: pd.DataFrame | None) -> list[str]:
    """Where spend comes from, which spend-table rows were ignored, and which sources have none."""
    sources = table[table["level"] == "source"]
    notes = _spend_table_notes(sources, leads, spend) if spend is not None else []
    no_spend = sources[sources["spend"].isna()]
    if len(no_spend):
        notes.append(f"No spend known for: {', '.join(map(str, no_spend['name']))} (no cost and no spend-table row).")
    return notes


def _spend_table_notes(sources: pd.DataFrame, leads: pd.DataFrame, spend: pd.DataFrame) -> list[str]:
    """Which sources the spend table prices (and overrides the per-lead cost of), and names it has that are unknown."""
    used = sources[sources["spend_from"] == "spend table"]
    unknown = sorted(set(spend["source"]) - set(sources["name"]))
    with_cost = leads.groupby("source")["has_cost"].any()
    both = used[used["name"].map(with_cost).fillna(False).astype(bool)]
    notes = [
        f"Spend for {len(used)} source(s) comes from the spend table"
        + (
            f"; for {len(both)} of them it replaces the per-lead cost (the spend table wins where both exist)"
            if len(both)
            else ""
        )
        + ". A spend-table amount is spread evenly over the source's leads for quarters and source types."
    ]
    if unknown:
        notes.append(f"The spend table names source(s) not in the history, ignored: {', '.join(unknown)}.")
    return notes


def _plan(
    table: pd.DataFrame,
    t: dict[str, float],
    weeks: float,
    goal_kind: GoalKind | None,
    goal_value: float | None,
    period_weeks: float,
) -> tuple[Plan | None, list[str]]:
    """The plan for the goal (by default the history's average accepted leads per period), and its notes."""
    if not np.isfinite(weeks):
        return None, [
            "The history has no created_at dates: no trend, no volume per period, so no plan or capacity view."
        ]
    notes = []
    if goal_kind is None:
        goal_kind, goal_value = "accepted", max(1.0, round(t["accepted"] / weeks * period_weeks))
        notes.append(
            f"No goal given: the plan asks what it takes to bring the history's average of {goal_value:,.0f} "
            f"accepted leads per {period_weeks:g} weeks from the sources that are not flagged "
            "(set a goal with --goal-accepted or --goal-revenue)."
        )
    return plan_for_goal(table, goal_kind, float(goal_value), period_weeks), notes


def _scores_note(from_model: bool, scorer_note: str) -> str:
    """Where the scores of the history leads come from: the champion model (in-sample) or the ICP."""
    why = f" ({scorer_note})" if scorer_note else ""
    if from_model:
        return (
            f"Scores of history leads come from the champion model{why}. "
            "It was trained on most of these leads, so the scores are in-sample: the capacity view is "
            "optimistic and fewer accepted leads look 'rated low' than on new leads."
        )
    return (
        "No champion model" + why + ": the capacity view ranks "
        "leads by how many ideal customer profile criteria (params.yaml icp) they meet, each at the "
        "history's acceptance rate for that number, and the disputed list uses the profile only. "
        "Train a model (leadsift train) for sharper figures."
    )


def _average_note(t: dict[str, float], model_average: float) -> str:
    """The one historical average the report uses, and why `leadsift score` may print another."""
    note = (
        f"The historical average acceptance rate everywhere in this report (and average_accept_rate in the table "
        f"CSV) is accepted ÷ worked over all {int(t['worked']):,} worked leads of this file: "
        f"{pct(t['accept_rate'], 1)}."
    )
    if np.isfinite(model_average):
        note += (
            f" `leadsift score` compares lists with the champion model's own training rows instead "
            f"({pct(model_average, 1)}): the leads labelled when it was trained, without leads too young to "
            "have an outcome (label.maturity_days), unworked ones (label.unworked) or the test slice."
        )
    return note


def _capacity(
    leads: pd.DataFrame,
    t: dict[str, float],
    scores: pd.DataFrame,
    basis: str,
    weeks: float,
    period_weeks: float,
    capacity_per_week: float | None,
) -> tuple[CapacityView, list[str]]:
    """The capacity view over the history's last period (capacity by default: the share sales worked), and its notes."""
    window = recent_window(leads, period_weeks)
    span = min(float(period_weeks), weeks)
    notes = []
    if capacity_per_week is None:
        capacity_per_week, note = _default_capacity(t, int(window.sum()), span)
        notes.append(note)
    capacity = capacity_view(scores.loc[window], capacity_per_week, span, basis=basis)
    notes.append(f"The capacity view uses the leads of the history's last {span:g} weeks as a typical period.")
    return capacity, notes


def _default_capacity(t: dict[str, float], arrivals: int, span: float) -> tuple[float, str]:
    """Leads a week sales can work when not given: the share they worked in the history, of the recent arrivals."""
    decided = t["leads"] - t["no_outcome"]
    worked_share = t["worked"] / decided if decided else 1.0
    capacity = max(1.0, round(worked_share * arrivals / span))
    return capacity, (
        f"Sales capacity not given: {capacity:,.0f} leads a week, the share of leads sales "
        f"worked in the history ({pct(worked_share)}) of the recent weekly arrivals "
        "(set it with --capacity-per-week)."
    )


def _closing_notes(table: pd.DataFrame, t: dict[str, float], sp: SourcesParams, period_weeks: float) -> list[str]:
    """The definitions, the flag rule, how the plan is made, open leads; and a hint when no spend is known at all."""
    notes = [
        "Worked = sales accepted or rejected the lead. Acceptance rate = accepted / worked. "
        "Won rate = won deals / all leads. Return on spend = revenue / spend.",
        f"A source is flagged below average when the upper end of its 95% Wilson interval lies under "
        f"{sp.flag_share:g} x the overall acceptance rate ({pct(table['flag_threshold'].iloc[0])}); a source "
        f"with fewer than {sp.min_outcomes} worked leads has too few outcomes to judge and is never flagged "
        "(params.yaml sources.flag_share, sources.min_outcomes).",
        "Planning: sources are filled cheapest first (cost per accepted lead, or spend per unit of revenue), "
        f"each up to its average volume per {period_weeks:g} weeks over the whole history; "
        "expected figures are the "
        "league table's per-lead rates times the planned leads. Flagged sources and sources with too few "
        "outcomes are left out.",
        "Leads without an outcome yet (still open) count as leads, not as worked: the latest quarter's "
        "acceptance and won rates can still move.",
    ]
    if not np.isfinite(t["spend"]):
        notes.append("No spend known at all: pass --spend or add a cost column to see costs.")
    return notes


def _facts(
    leads: pd.DataFrame, weeks: float, period_weeks: float, basis: str, target: str, t: dict[str, float]
) -> dict[str, object]:
    """The figures the HTML header and sections read: date span, weeks, basis, target, totals."""
    created = leads["created_at"].dropna()
    return {
        "first_lead": None if created.empty else created.min(),
        "last_lead": None if created.empty else created.max(),
        "weeks": weeks,
        "period_weeks": float(period_weeks),
        "basis": basis,
        "target": target,
        "totals": t,
    }
