"""The committee's decisions: the review CSV handed back with its `decision` column filled in, read and checked.

A decision is one of DECISIONS; an empty cell is a lead not yet decided. A row naming a lead the
history does not hold, an unknown value, or a lead decided twice is an error naming the line.
`decided_labels` turns the decisions into training labels (see `leadsift.pipeline.review.labels`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError
from leadsift.pipeline.files import FORMULA_START, check_input, csv_dialect, file_kind, read_table

DECISIONS = ("should_have_worked", "rightly_rejected", "wrongly_accepted", "rule_change")
DECISION_COLUMNS = ("lead_id", "decision", "note", "line")


def read_decisions(path: Path | str, known_ids: pd.Series) -> pd.DataFrame:
    """The decided rows of a review file: lead_id (stripped), decision, note, and the file line each came from.

    `known_ids` are the history's lead_ids. Empty decisions are left out (not decided yet).
    """
    path = check_input(path, "decisions file")
    frame = read_table(path)
    missing = [c for c in ("lead_id", "decision") if c not in frame.columns]
    if missing:
        raise ContractError(
            f"decisions file {path} has no {', '.join(missing)} column: hand back the review CSV that "
            "`leadsift sources` wrote, with its decision column filled in"
        )
    lines = _record_lines(path, len(frame))
    decision = frame["decision"].astype("str").str.strip().str.lower().where(frame["decision"].notna(), "")
    note = frame["note"].fillna("").astype("str") if "note" in frame.columns else pd.Series("", index=frame.index)
    out = pd.DataFrame(
        {"lead_id": _unquoted(frame["lead_id"].astype("str").str.strip()), "decision": decision, "note": note,
         "line": lines}
    )
    out = out[out["decision"] != ""].reset_index(drop=True)
    _check_values(out, path)
    _check_known(out, known_ids, path)
    _check_once(out, path)
    return out.loc[:, list(DECISION_COLUMNS)]


def _unquoted(ids: pd.Series) -> pd.Series:
    """lead_ids as the history has them: the review CSV quotes one a spreadsheet would run ("'=A1" for "=A1")."""
    quoted = ids.str.startswith("'") & ids.str[1:].str.startswith(FORMULA_START)
    return ids.where(~quoted, ids.str[1:])


def _record_lines(path: Path, rows: int) -> list[int]:
    """The line each data row starts on: CSV lines as a text editor counts them (a quoted cell may span
    lines), spreadsheet rows for a workbook or Parquet (header on row 1)."""
    if file_kind(path) != "csv" or str(path).lower().endswith(".gz"):
        return list(range(2, rows + 2))
    dialect = csv_dialect(path)
    starts = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.separator)
        for _ in range(dialect.skip_rows + 1):
            next(reader, None)
        previous = reader.line_num
        for row in reader:
            if row:
                starts.append(previous + 1)
            previous = reader.line_num
    return starts if len(starts) == rows else list(range(2, rows + 2))


def _check_values(out: pd.DataFrame, path: Path) -> None:
    bad = out[~out["decision"].isin(DECISIONS)]
    if len(bad):
        r = bad.iloc[0]
        raise ContractError(
            f"decisions file {path}, line {r['line']}: decision {r['decision']!r} for lead {r['lead_id']} is not "
            f"one of {', '.join(DECISIONS)} (or empty for not decided yet)"
        )


def _check_known(out: pd.DataFrame, known_ids: pd.Series, path: Path) -> None:
    known = set(known_ids.dropna().astype("str").str.strip())
    unknown = out[~out["lead_id"].isin(known)]
    if len(unknown):
        r = unknown.iloc[0]
        raise ContractError(
            f"decisions file {path}, line {r['line']}: lead_id {r['lead_id']!r} is not in the history"
            + (f" ({len(unknown):,} such rows)" if len(unknown) > 1 else "")
            + "; decide only leads of this history (the review CSV `leadsift sources` wrote for it)"
        )


def _check_once(out: pd.DataFrame, path: Path) -> None:
    """A lead decided on two lines would be applied twice: refused, naming both lines."""
    twice = out[out["lead_id"].duplicated(keep=False)]
    if len(twice):
        first = twice.iloc[0]["lead_id"]
        lines = twice.loc[twice["lead_id"] == first, "line"].tolist()
        raise ContractError(
            f"decisions file {path}, lines {', '.join(map(str, lines))}: lead_id {first!r} is decided more than "
            "once; keep one decision per lead"
        )
