"""The monitoring page: one self-contained HTML file in the source report's house style (no scripts, nothing loaded)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from leadsift.pipeline.monitor.result import Monitoring, month_rows
from leadsift.pipeline.sources.format import esc, finite, pct
from leadsift.pipeline.sources.html import CSP, CSS

SECTION_IDS = ("summary", "alerts", "months", "sources", "types", "features", "columns", "notes")
TITLES = {"summary": "Verdict", "alerts": "Alerts", "months": "By month", "sources": "By source",
          "types": "By source type", "features": "Feature drift against training", "columns": "Input columns",
          "notes": "How to read this page"}


def _rate(x: object) -> str:
    return pct(float(x)) if finite(x) else "&ndash;"


def _ci(low: object, high: object) -> str:
    return f'<span class="ci">{pct(float(low))} to {pct(float(high))}</span>' if finite(low) and finite(high) else ""


def _num(x: object, digits: int = 2) -> str:
    return f"{float(x):.{digits}f}" if finite(x) else "&ndash;"


def _auc(r: pd.Series, kind: str) -> str:
    value = r[f"{kind}_auc"]
    if not finite(value):
        return "&ndash;"
    low, high = r[f"{kind}_auc_low"], r[f"{kind}_auc_high"]
    return f'{value:.2f}<span class="ci">{low:.2f} to {high:.2f}</span>'


def _group_head(word: str) -> tuple[str, ...]:
    return ("Leads", "Young", "Decided", f"Expected {word} (decided)", f"Realized {word}",
            f"Expected {word} (all leads)", "Expected ROC AUC", "Realized ROC AUC", "ECE")


def _ece(r: pd.Series) -> str:
    if not finite(r["ece"]):
        return "&ndash;"
    return (f'{r["ece"]:.3f}<span class="ci">{r["ece_low"]:.3f} to {r["ece_high"]:.3f}</span>'
            f'<span class="ci">calibrated: under {r["ece_chance"]:.3f}</span>')


def _group_table(rows: pd.DataFrame, first: str, word: str) -> str:
    if rows.empty:
        return '<p class="muted">No leads at this level.</p>'
    head = (f"<tr><th>{esc(first)}</th>" + "".join(f'<th class="n">{h}</th>' for h in _group_head(word))
            + "<th>Alert</th></tr>")
    body = []
    for _, r in rows.iterrows():
        cls = ' class="flagged"' if r["alert"] else ""
        cells = [
            f"{int(r['leads']):,}", f"{int(r['young']):,}", f"{int(r['decided']):,}",
            _rate(r["expected_accept_rate"]) + _ci(r["expected_accept_low"], r["expected_accept_high"]),
            _rate(r["realized_accept_rate"]) + _ci(r["realized_accept_low"], r["realized_accept_high"]),
            _rate(r["expected_all_rate"]), _auc(r, "expected"), _auc(r, "realized"), _ece(r),
        ]
        body.append(f'<tr{cls}><td class="name">{esc(r["name"])}</td>' + "".join(f'<td class="n">{c}</td>' for c in cells)
                    + f"<td>{esc(r['alert'])}</td></tr>")
    return f'<div class="wide"><table>{head}{"".join(body)}</table></div>'


Column = tuple[str, str, object]  # (header, row field, cell format: a function of the value); esc marks text


def _table(rows: pd.DataFrame, columns: list[Column]) -> str:
    """Rows as a table: the first column is the name, text columns (format esc) left, numbers right, then the
    row's alert; alerted rows flagged."""
    head = "<tr>" + "".join(f'<th{"" if i == 0 or fmt is esc else " class=n"}>{h}</th>'
                            for i, (h, _, fmt) in enumerate(columns))
    body = [
        f'<tr{" class=flagged" if r["alert"] else ""}><td class="name">{esc(r[columns[0][1]])}</td>'
        + "".join(f'<td{"" if fmt is esc else " class=n"}>{fmt(r[field])}</td>' for _, field, fmt in columns[1:])
        + f"<td>{esc(r['alert'])}</td></tr>"
        for _, r in rows.iterrows()
    ]
    return f'<div class="wide"><table>{head}<th>Alert</th></tr>{"".join(body)}</table></div>'


def _features(table: pd.DataFrame) -> str:
    rows = table[table["level"] == "feature"].sort_values("psi", ascending=False)
    return _table(rows, [("Feature", "name", esc), ("Model's reliance", "importance", _rate), ("PSI", "psi", _num),
                         ("p-value", "drift_p_value", _p_value), ("Empty at training", "missing_train", _rate),
                         ("Empty now", "missing_new", _rate), ("Values never seen in training", "unseen_share", _rate),
                         ("Moved most", "moved", esc)])


def _p_value(x: object) -> str:
    return "&ndash;" if not finite(x) else "&lt; 0.001" if float(x) < 0.001 else f"{float(x):.3f}"


def _columns(table: pd.DataFrame) -> str:
    return _table(table[table["level"] == "column"], [
        ("Column", "name", esc), ("Share of the model's gain", "gain_share", _rate),
        ("Filled at training", "fill_train", _rate), ("Filled now", "fill_new", _rate)])


def _alerts(m: Monitoring) -> str:
    if not m.alerts:
        return '<p>No alert.</p>'
    return "<ul>" + "".join(f"<li><b>{esc(a.kind)}</b> ({esc(a.level)}): {esc(a.text)}</li>" for a in m.alerts) + "</ul>"


def _summary(m: Monitoring) -> str:
    o = m.table.iloc[0]
    cls = "callout bad" if m.alerts else "callout"
    test = m.model.test_figures
    kpis = [("Leads", f"{int(o['leads']):,}"), ("Decided (mature)", f"{int(o['decided']):,}"),
            (f"Expected {m.rate_word}", _rate(o["expected_accept_rate"])),
            (f"Realized {m.rate_word}", _rate(o["realized_accept_rate"])),
            ("Expected ROC AUC", _num(o["expected_auc"])), ("Realized ROC AUC", _num(o["realized_auc"])),
            ("Model's test ROC AUC", _num(test.get("roc_auc"))), ("ECE now", _num(o["ece"], 3)),
            ("Model's test ECE", _num(test.get("ece"), 3)), ("Alerts", str(len(m.alerts)))]
    boxes = "".join(f'<div class="kpi">{k}<b>{v}</b></div>' for k, v in kpis)
    return f'<div class="{cls}">{esc(m.verdict)}</div><div class="kpis">{boxes}</div>'


def _chart(table: pd.DataFrame, word: str) -> str:
    """Expected acceptance (line) and realized acceptance (dots with their intervals) per month."""
    months = month_rows(table)
    if len(months) < 2:
        return ""
    w, h, left, right, top, bottom = 760, 220, 50, 20, 16, 36
    values = months[["expected_accept_rate", "realized_accept_high", "expected_accept_high"]].to_numpy(dtype="float64")
    vmax = max(0.05, float(np.nanmax(values)) * 1.1) if np.isfinite(values).any() else 1.0

    def sx(i: int) -> float:
        return left + (w - left - right) * i / max(len(months) - 1, 1)

    def sy(v: float) -> float:
        return h - bottom - (h - top - bottom) * v / vmax

    line = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in enumerate(months["expected_accept_rate"]) if finite(v))
    parts = [f'<polyline fill="none" stroke="#2b6cb0" stroke-width="2" points="{line}"/>']
    for i, r in months.iterrows():
        if finite(r["realized_accept_rate"]):
            x = sx(int(i))
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{sy(r["realized_accept_low"]):.1f}" '
                         f'y2="{sy(r["realized_accept_high"]):.1f}" stroke="#c53030"/>'
                         f'<circle cx="{x:.1f}" cy="{sy(r["realized_accept_rate"]):.1f}" r="4" fill="#c53030"/>')
        parts.append(f'<text x="{sx(int(i)):.1f}" y="{h - 14}" font-size="11" text-anchor="middle">{esc(r["name"])}</text>')
    for frac in (0, 0.5, 1):
        parts.append(f'<text x="{left - 6}" y="{sy(vmax * frac) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{vmax * frac:.0%}</text>')
    label = f"Expected {word} per month (blue line) and realized {word} with its 95% interval (red)"
    return (f'<figure><figcaption>{label}</figcaption><svg viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
            f'{"".join(parts)}</svg></figure>')


def _notes(m: Monitoring) -> str:
    items = [
        "Expected acceptance is the mean p_accept of the same leads the realized rate counts: decided leads "
        "(accepted or rejected) old enough to have an outcome. Where a group has no outcomes yet, the expected "
        "figures are those of all its leads.",
        f"Young: leads created within {m.maturity_days:g} days of {_when(m.as_of)} (label.maturity_days); they are "
        "not judged on their outcomes, as training leaves them out.",
        "Expected ROC AUC is what the calibrated probabilities imply for these leads (confidence-based performance "
        "estimation); it needs no outcome. Realized ROC AUC comes with a DeLong interval.",
        "An alert needs a change that is statistically clear (Holm's correction over every group or feature tested, "
        "monitor.alpha in params.yaml) and large enough (monitor thresholds). A month, type or the whole period "
        "whose change disappears without the alerted sources' leads is not alerted again.",
        "ECE is shown beside the ECE a calibrated model would still stay under on that many leads (95%); it is "
        "not alerted on its own: a calibration that is off shows as acceptance alerts (whole period, month, source), "
        "which are tested with the correction for testing many groups.",
        "The mix of sources is shown (PSI of source and source_type) but judged per source, by outcomes: campaigns "
        "come and go.",
        *m.notes,
    ]
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in items) + "</ul>"


def _when(when: pd.Timestamp | None) -> str:
    return "the export date" if when is None else f"{when:%Y-%m-%d}"


def render_page(m: Monitoring) -> str:
    t = m.table
    version = f"version {m.model.version}" if m.model.version else "not a registered version"
    bodies = {
        "summary": _summary(m), "alerts": _alerts(m),
        "months": _chart(t, m.rate_word) + _group_table(t[t["level"] == "month"], "Month", m.rate_word),
        "sources": _group_table(t[t["level"] == "source"], "Source", m.rate_word),
        "types": _group_table(t[t["level"] == "source_type"], "Source type", m.rate_word),
        "features": _features(t), "columns": _columns(t), "notes": _notes(m),
    }
    nav = "".join(f'<a href="#{s}">{TITLES[s]}</a>' for s in SECTION_IDS)
    sections = "".join(f'<section id="{s}"><h2>{TITLES[s]}</h2>{bodies[s]}</section>' for s in SECTION_IDS)
    made = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>leadsift monitoring: {esc(m.data_name)}</title><style>{CSS}</style></head><body>"
        f"<h1>Are the scores still right?</h1>"
        f'<p class="meta">{esc(m.data_name)}, as of {_when(m.as_of)}; model {esc(m.model.uri)} ({esc(version)}); '
        f"made {made}</p><nav>{nav}</nav>{sections}</body></html>"
    )
