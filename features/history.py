"""Point-in-time history: how a lead's source, account and other keys fared *before* the lead.

A `KeyHistory` holds, per key (a source name, an account, ...), sorted event times:
lead creations, decided outcomes (status_at) with their acceptances, and wins (won_at).
A lookup at time t counts only events strictly before t, so a lead never sees its own
outcome or anything later. Training looks up every lead at its own created_at (a walk
forward in time); scoring looks up new leads in the snapshot stored with the model.
The same code serves both, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_SHIFT = np.int64(1) << np.int64(33)  # seconds since 1970 fit in 33 bits until the year 2242


def _seconds(times: pd.Series) -> np.ndarray:
    """datetime64 Series -> int64 seconds since 1970, clipped at 0 (NaT -> -1)."""
    values = times.to_numpy(dtype="datetime64[s]").astype("int64")
    missing = times.isna().to_numpy()
    values = np.clip(values, 0, int(_SHIFT) - 1)
    values[missing] = -1
    return values


def _combined(codes: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return codes.astype("int64") * _SHIFT + seconds


@dataclass(frozen=True)
class KeyCounts:
    """Counts of earlier events per queried row."""

    leads: np.ndarray        # leads created before t
    recent: np.ndarray       # leads created in [t - window, t)
    decided: np.ndarray      # outcomes (accepted or rejected) known before t
    accepted: np.ndarray     # acceptances known before t
    won: np.ndarray          # wins known before t
    recent_leads: np.ndarray     # leads created in [t - rate_window, t)
    recent_decided: np.ndarray   # outcomes known in [t - rate_window, t)
    recent_accepted: np.ndarray
    recent_won: np.ndarray


@dataclass(frozen=True)
class KeyHistory:
    """Sorted event arrays for one kind of key."""

    keys: pd.Index
    lead_events: np.ndarray
    decided_events: np.ndarray
    accepted_cum: np.ndarray   # prefix sums over decided_events (length len + 1)
    won_events: np.ndarray
    end: pd.Timestamp | None

    @classmethod
    def build(
        cls,
        key: pd.Series,
        created_at: pd.Series,
        status: pd.Series | None,
        status_at: pd.Series | None,
        won_at: pd.Series | None,
    ) -> KeyHistory:
        """Index the events of a lead history grouped by `key` (NA keys are ignored)."""
        valid = key.notna().to_numpy()
        keys = pd.Index(pd.unique(key[valid]))
        codes = np.full(len(key), -1, dtype="int64")
        codes[valid] = keys.get_indexer(key[valid])
        created = _seconds(created_at)
        ok = valid & (created >= 0)
        lead_events = np.sort(_combined(codes[ok], created[ok]))

        decided_events = np.empty(0, dtype="int64")
        accepted_cum = np.zeros(1, dtype="int64")
        if status is not None and status_at is not None:
            # An outcome cannot be known before its lead existed (CRM dates can say otherwise).
            when = np.where(_seconds(status_at) >= 0, np.maximum(_seconds(status_at), created), -1)
            is_decided = status.isin(("accepted", "rejected")).to_numpy() & (when >= 0) & valid
            events = _combined(codes[is_decided], when[is_decided])
            accepted = (status.to_numpy()[is_decided] == "accepted").astype("int64")
            order = np.argsort(events, kind="stable")
            decided_events = events[order]
            accepted_cum = np.concatenate([[0], np.cumsum(accepted[order])])
        won_events = np.empty(0, dtype="int64")
        if won_at is not None:
            when = np.where(_seconds(won_at) >= 0, np.maximum(_seconds(won_at), created), -1)
            is_won = (when >= 0) & valid
            won_events = np.sort(_combined(codes[is_won], when[is_won]))
        ends = [t.max() for t in (created_at, status_at, won_at) if t is not None and t.notna().any()]
        end = max(ends) if ends else None
        return cls(keys, lead_events, decided_events, accepted_cum, won_events, end)

    def counts(self, key: pd.Series, at: pd.Series, window_days: float, rate_window_days: float = 90.0) -> KeyCounts:
        """Counts of each row's key's events strictly before its time `at` (and within the two windows)."""
        n = len(key)
        codes = np.full(n, -1, dtype="int64")
        valid = key.notna().to_numpy()
        if valid.any():
            codes[valid] = self.keys.get_indexer(key[valid])
        seconds = _seconds(at)
        known = (codes >= 0) & (seconds >= 0)
        c = np.where(known, codes, 0)
        t = np.where(known, seconds, 0)
        # Search in sorted query order (cache-friendly; every window bound sorts the same way,
        # give or take), then put the counts back in row order.
        order = np.argsort(_combined(c, t), kind="stable")
        c, t = c[order], t[order]
        low = _combined(c, np.zeros(n, dtype="int64"))
        q = _combined(c, t)
        w = _combined(c, np.maximum(t - int(window_days * 86400), 0))
        rw = _combined(c, np.maximum(t - int(rate_window_days * 86400), 0))

        def find(events: np.ndarray, bound: np.ndarray) -> np.ndarray:
            return np.searchsorted(events, bound, side="left")

        lead_lo, lead_hi = find(self.lead_events, low), find(self.lead_events, q)
        dec_lo, dec_hi, dec_rw = (find(self.decided_events, x) for x in (low, q, rw))
        won_lo, won_hi = find(self.won_events, low), find(self.won_events, q)
        sorted_counts = (
            lead_hi - lead_lo,
            lead_hi - find(self.lead_events, w),
            dec_hi - dec_lo,
            self.accepted_cum[dec_hi] - self.accepted_cum[dec_lo],
            won_hi - won_lo,
            lead_hi - find(self.lead_events, rw),
            dec_hi - dec_rw,
            self.accepted_cum[dec_hi] - self.accepted_cum[dec_rw],
            won_hi - find(self.won_events, rw),
        )
        zero = ~known
        arrays = []
        for sorted_values in sorted_counts:
            arr = np.empty(n, dtype="int64")
            arr[order] = sorted_values
            arr[zero] = 0
            arrays.append(arr)
        return KeyCounts(*arrays)


def shrunk_rate(hits: np.ndarray, trials: np.ndarray, prior: np.ndarray, strength: float) -> np.ndarray:
    """(hits + m * prior) / (trials + m): few outcomes pull toward the overall rate."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (hits + strength * prior) / (trials + strength)


def overall_rates(history: KeyHistory, at: pd.Series, rate_window_days: float = 90.0) -> dict[str, np.ndarray]:
    """Point-in-time overall rates, all time and recent: accept, won, accept_recent, won_recent (NaN before any)."""
    everything = pd.Series("all", index=at.index, dtype="str")
    c = history.counts(everything, at, 0, rate_window_days)

    def ratio(k: np.ndarray, n: np.ndarray) -> np.ndarray:
        return np.where(n > 0, k / np.maximum(n, 1), np.nan)

    return {
        "accept": ratio(c.accepted, c.decided), "won": ratio(c.won, c.leads),
        "accept_recent": ratio(c.recent_accepted, c.recent_decided), "won_recent": ratio(c.recent_won, c.recent_leads),
    }
