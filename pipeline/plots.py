"""PNG plots of a training run: ROC, calibration, gains, feature importance, acceptance by tier."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers or CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_curve  # noqa: E402


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def roc_plot(y: np.ndarray, scores: dict[str, np.ndarray], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, p in scores.items():
        fpr, tpr, _ = roc_curve(y, p)
        ax.plot(fpr, tpr, label=name, lw=2 if name == "model" else 1)
    ax.plot([0, 1], [0, 1], ls=":", c="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC, test slice")
    ax.legend(loc="lower right", fontsize=8)
    return _save(fig, path)


def calibration_plot(y: np.ndarray, p: np.ndarray, path: Path, bins: int = 10) -> Path:
    order = np.argsort(p, kind="stable")
    groups = [g for g in np.array_split(order, bins) if len(g)]
    pred = [p[g].mean() for g in groups]
    obs = [y[g].mean() for g in groups]
    fig, ax = plt.subplots(figsize=(5, 5))
    top = max(max(pred), max(obs)) * 1.05
    ax.plot([0, top], [0, top], ls=":", c="grey")
    ax.plot(pred, obs, marker="o")
    ax.set(xlabel="predicted p_accept", ylabel="observed rate", title="Calibration, test slice")
    return _save(fig, path)


def gains_plot(y: np.ndarray, scores: dict[str, np.ndarray], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, p in scores.items():
        order = np.argsort(-p, kind="stable")
        captured = np.cumsum(y[order]) / y.sum()
        share = np.arange(1, len(y) + 1) / len(y)
        ax.plot(share, captured, label=name, lw=2 if name == "model" else 1)
    ax.plot([0, 1], [0, 1], ls=":", c="grey")
    ax.set(xlabel="share of leads worked, best first", ylabel="share of accepted leads found", title="Gains")
    ax.legend(loc="lower right", fontsize=8)
    return _save(fig, path)


def importance_plot(importance: pd.Series, path: Path, top: int = 20) -> Path:
    imp = importance.sort_values(ascending=True).tail(top)
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(imp) + 1))
    ax.barh(imp.index, imp.values)
    ax.set(xlabel="total gain", title="Feature importance")
    return _save(fig, path)


def tier_plot(table: pd.DataFrame, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(table["tier"], table["accept_rate"].fillna(0))
    for x, (rate, n) in enumerate(zip(table["accept_rate"], table["leads"], strict=True)):
        # An empty tier has a NaN rate: its label sits on the axis (NaN is truthy, so `rate or 0` is NaN).
        height = float(rate) if pd.notna(rate) else 0.0
        label = f"{rate:.0%}\n{int(n)} leads" if pd.notna(rate) else "0 leads"
        ax.annotate(label, (x, height), ha="center", va="bottom", fontsize=8)
    ax.set(ylabel="observed acceptance rate", title="Acceptance by tier, test slice")
    return _save(fig, path)
