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
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from leadsift.features.text import arrow_strings

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


def _factorize(key: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Per row, the position of its key among the distinct keys (in order of first appearance; NA -> -1)."""
    # One hash pass, not two (unique, then get_indexer): hashing many distinct keys is the part
    # of building that grows fastest with the history's size (the hash table outgrows the caches).
    codes, keys = pd.factorize(key)
    return codes.astype("int64", copy=False), pd.Index(keys)


def _lookup(keys: pd.Index, key: pd.Series) -> np.ndarray:
    """Per row, the position of its key in `keys` (NA and unknown keys -> -1)."""
    if isinstance(keys.dtype, pd.StringDtype) and isinstance(key.dtype, pd.StringDtype):
        # Arrow hashes the string bytes; pandas' get_indexer would first make a Python object per row.
        found = pc.index_in(arrow_strings(key.array), value_set=arrow_strings(keys.array))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
    codes = np.full(len(key), -1, dtype="int64")
    valid = key.notna().to_numpy()
    if valid.any():
        codes[valid] = keys.get_indexer(key[valid])
    return codes


def _equals(values: pd.Series, text: str) -> np.ndarray:
    """Bool per row: the value is `text` (NA -> False), without a Python object per row."""
    if isinstance(values.dtype, pd.StringDtype):
        return (values == text).to_numpy(dtype=bool, na_value=False)
    return values.to_numpy() == text


@dataclass(frozen=True)
class KeyHistory:
    """Sorted event arrays for one kind of key."""

    keys: pd.Index
    lead_events: np.ndarray
    decided_events: np.ndarray
    accepted_cum: np.ndarray   # prefix sums over decided_events (length len + 1)
    won_events: np.ndarray
    end: pd.Timestamp | None
    expected_cum: np.ndarray | None = None  # prefix sums over decided_events of each lead's expected acceptance

    @classmethod
    def build_with_codes(
        cls,
        key: pd.Series,
        created_at: pd.Series,
        status: pd.Series | None,
        status_at: pd.Series | None,
        won_at: pd.Series | None,
        expected: np.ndarray | None = None,
    ) -> tuple[KeyHistory, np.ndarray]:
        """Index the events of a lead history grouped by `key` (NA keys are ignored); also each row's key
        code, so the same rows can be looked up (`counts_by_code`) without hashing their keys again.
        `expected`: per row, the acceptance expected of the lead when it arrived (for `KeyCounts.expected`)."""
        codes, keys = _factorize(key)
        return cls.from_codes(codes, keys, created_at, status, status_at, won_at, expected), codes

    @classmethod
    def from_codes(
        cls,
        codes: np.ndarray,
        keys: pd.Index,
        created_at: pd.Series,
        status: pd.Series | None,
        status_at: pd.Series | None,
        won_at: pd.Series | None,
        expected: np.ndarray | None = None,
    ) -> KeyHistory:
        """`build_with_codes` for rows whose keys are given as codes into `keys` (-1: no key)."""
        codes = np.asarray(codes, dtype="int64")
        valid = codes >= 0
        created = _seconds(created_at)
        ok = valid & (created >= 0)
        # kind="stable" (timsort/radix) runs in near-linear time on exports already in time order,
        # where numpy's default quicksort does not.
        lead_events = np.sort(_combined(codes[ok], created[ok]), kind="stable")

        decided_events = np.empty(0, dtype="int64")
        accepted_cum = np.zeros(1, dtype="int64")
        expected_cum = None if expected is None else np.zeros(1, dtype="float64")
        if status is not None and status_at is not None:
            # An outcome cannot be known before its lead existed (CRM dates can say otherwise).
            status_seconds = _seconds(status_at)
            when = np.where(status_seconds >= 0, np.maximum(status_seconds, created), -1)
            is_decided = status.isin(("accepted", "rejected")).to_numpy() & (when >= 0) & valid
            events = _combined(codes[is_decided], when[is_decided])
            accepted = _equals(status, "accepted")[is_decided].astype("int64")
            order = np.argsort(events, kind="stable")
            decided_events = events[order]
            accepted_cum = np.concatenate([[0], np.cumsum(accepted[order])])
            if expected is not None:
                expected_cum = np.concatenate([[0.0], np.cumsum(np.asarray(expected, "float64")[is_decided][order])])
        won_events = np.empty(0, dtype="int64")
        if won_at is not None:
            won_seconds = _seconds(won_at)
            when = np.where(won_seconds >= 0, np.maximum(won_seconds, created), -1)
            is_won = (when >= 0) & valid
            won_events = np.sort(_combined(codes[is_won], when[is_won]), kind="stable")
        ends = [t.max() for t in (created_at, status_at, won_at) if t is not None and t.notna().any()]
        end = max(ends) if ends else None
        return cls(keys, lead_events, decided_events, accepted_cum, won_events, end, expected_cum)

    def codes(self, key: pd.Series) -> np.ndarray:
        """Per row, the code of its key in this history (-1 for NA or a key never seen)."""
        return _lookup(self.keys, key)

    def counts(self, key: pd.Series, at: pd.Series, window_days: float, rate_window_days: float = 90.0) -> KeyCounts:
        """Counts of each row's key's events strictly before its time `at` (and within the two windows)."""
        return self.counts_by_code(self.codes(key), at, window_days, rate_window_days)

    def counts_by_code(
        self, codes: np.ndarray, at: pd.Series, window_days: float, rate_window_days: float = 90.0
    ) -> KeyCounts:
        """`counts` for rows given by key code (from `codes` or `build_with_codes`)."""
        return KeyCounts(self, codes, at, window_days, rate_window_days)


def _find(events: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Per bound, how many events lie strictly below it."""
    return np.searchsorted(events, bounds, side="left")


class KeyCounts:
    """Counts of a history's events strictly before each queried row's time t, each count worked
    out when first read (callers read only some; the others' searches are never run):

    leads: leads created before t; recent: leads created in [t - window, t);
    decided: outcomes (accepted or rejected) known before t; accepted, won: acceptances and wins
    known before t; expected: the acceptances those decided leads were expected to reach;
    recent_leads, recent_decided, recent_accepted, recent_won: the same within [t - rate_window, t).
    """

    def __init__(
        self, history: KeyHistory, codes: np.ndarray, at: pd.Series, window_days: float, rate_window_days: float
    ) -> None:
        n = len(codes)
        seconds = _seconds(at)
        known = (codes >= 0) & (seconds >= 0)
        c = np.where(known, codes, 0)
        t = np.where(known, seconds, 0)
        # Search in sorted query order (cache-friendly; every window bound sorts the same way,
        # give or take), then put the counts back in row order.
        order = np.argsort(_combined(c, t), kind="stable")
        c, t = c[order], t[order]
        # Where each key's events start: searched once per key, not once per row.
        first = np.flatnonzero(np.concatenate([[True], c[1:] != c[:-1]])) if n else np.zeros(0, dtype="int64")
        self._runs = np.diff(np.append(first, n))
        self._key_low = _combined(c[first], np.zeros(len(first), dtype="int64"))
        self._history, self._order, self._unknown, self._c, self._t = history, order, ~known, c, t
        self._window, self._rate_window = int(window_days * 86400), int(rate_window_days * 86400)

    def _since(self, seconds_back: int) -> np.ndarray:
        return _combined(self._c, np.maximum(self._t - seconds_back, 0))

    def _start(self, events: np.ndarray) -> np.ndarray:
        return np.repeat(_find(events, self._key_low), self._runs)

    def _rows(self, sorted_values: np.ndarray) -> np.ndarray:
        """Counts in sorted query order, back in row order (0 for rows without key or time)."""
        out = np.empty(len(self._order), dtype="int64")
        out[self._order] = sorted_values
        out[self._unknown] = 0
        return out

    @cached_property
    def _q(self) -> np.ndarray:
        return _combined(self._c, self._t)

    @cached_property
    def _rw(self) -> np.ndarray:
        return self._since(self._rate_window)

    @cached_property
    def _lead_lo(self) -> np.ndarray:
        return self._start(self._history.lead_events)

    @cached_property
    def _lead_hi(self) -> np.ndarray:
        return _find(self._history.lead_events, self._q)

    @cached_property
    def _dec_lo(self) -> np.ndarray:
        return self._start(self._history.decided_events)

    @cached_property
    def _dec_hi(self) -> np.ndarray:
        return _find(self._history.decided_events, self._q)

    @cached_property
    def _dec_rw(self) -> np.ndarray:
        return _find(self._history.decided_events, self._rw)

    @cached_property
    def _won_hi(self) -> np.ndarray:
        return _find(self._history.won_events, self._q)

    @cached_property
    def leads(self) -> np.ndarray:
        return self._rows(self._lead_hi - self._lead_lo)

    @cached_property
    def recent(self) -> np.ndarray:
        return self._rows(self._lead_hi - _find(self._history.lead_events, self._since(self._window)))

    @cached_property
    def decided(self) -> np.ndarray:
        return self._rows(self._dec_hi - self._dec_lo)

    @cached_property
    def accepted(self) -> np.ndarray:
        cum = self._history.accepted_cum
        return self._rows(cum[self._dec_hi] - cum[self._dec_lo])

    @cached_property
    def expected(self) -> np.ndarray:
        """The acceptances expected of the decided leads before t, when they arrived (0 without `expected_cum`)."""
        cum = self._history.expected_cum
        if cum is None:
            return np.zeros(len(self._order), dtype="float64")
        out = np.empty(len(self._order), dtype="float64")
        out[self._order] = cum[self._dec_hi] - cum[self._dec_lo]
        out[self._unknown] = 0.0
        return out

    @cached_property
    def won(self) -> np.ndarray:
        return self._rows(self._won_hi - self._start(self._history.won_events))

    @cached_property
    def recent_leads(self) -> np.ndarray:
        return self._rows(self._lead_hi - _find(self._history.lead_events, self._rw))

    @cached_property
    def recent_decided(self) -> np.ndarray:
        return self._rows(self._dec_hi - self._dec_rw)

    @cached_property
    def recent_accepted(self) -> np.ndarray:
        cum = self._history.accepted_cum
        return self._rows(cum[self._dec_hi] - cum[self._dec_rw])

    @cached_property
    def recent_won(self) -> np.ndarray:
        return self._rows(self._won_hi - _find(self._history.won_events, self._rw))


def shrunk_excess(hits: np.ndarray, expected: np.ndarray, trials: np.ndarray, strength: float) -> np.ndarray:
    """(hits - expected) / (trials + m): how much more often a key's leads were accepted than expected of
    them, per lead; an empirical-Bayes estimate shrunk toward 0 (no excess) when there are few outcomes."""
    return (hits - expected) / (trials + strength)


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
