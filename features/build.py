"""Feature building, shared by training and scoring.

`FeatureBuilder.fit_features` learns only vocabularies (from training rows) and indexes the lead
history; `transform` turns typed contract rows into the model matrix. Training and
the MLflow model both call `transform`, so the features cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features import contact
from leadsift.features.history import KeyHistory, overall_rates, shrunk_excess, shrunk_rate
from leadsift.features.text import lowered, take
from leadsift.params import FeatureParams, IcpParams

OTHER = "(other)"
_HISTORY_BATCH = 1 << 16  # rows per batch of history lookups
_BUILT_IN_HISTORIES = ("all", "source", "source_type", "account")  # always indexed when use_history

def base_rate_column(target: str) -> str:
    """The raw feature holding the overall recent rate of `target` (accepted / accept, won) at each
    lead's time: read by a calibrator that follows the base rate, never a model feature."""
    return f"overall_{'accept' if target.startswith('accept') else 'won'}_rate_recent"


BASE_RATES = frozenset(base_rate_column(t) for t in ("accepted", "won"))


def _frame(columns: dict[str, object], index: pd.Index) -> pd.DataFrame:
    """A DataFrame over `columns` as they are. pandas would otherwise copy same-typed columns into
    one 2-D block: at a million rows that copy, into fresh memory, cost more than building them."""
    return pd.DataFrame(columns, index=index, copy=False)


def _categorical(values: pd.Series, categories: tuple[str, ...]) -> pd.Categorical:
    """`values` over `categories`, the last of which (OTHER) stands for any value not among the others."""
    if isinstance(values.dtype, pd.StringDtype):
        # Arrow matches the string bytes; pandas would first make a Python object per row.
        arr = pa.array(values.array)
        found = pc.index_in(arr, value_set=pa.array(categories[:-1], type=arr.type))
        codes = found.fill_null(len(categories) - 1).to_numpy(zero_copy_only=False)
        codes = np.where(values.isna().to_numpy(), -1, codes)
        return pd.Categorical.from_codes(codes, categories=list(categories), ordered=False)
    known = values.isin(categories[:-1])
    values = values.where(known | values.isna(), OTHER)
    return pd.Categorical(values, categories=list(categories), ordered=False)


def _col(typed: pd.DataFrame, name: str) -> pd.Series | None:
    """The frame's column `name`, or None when it has none."""
    return typed[name] if name in typed.columns else None


def _num(typed: pd.DataFrame, name: str) -> pd.Series:
    """The column as float64 (non-numbers NaN), or all NaN when the frame has none."""
    s = _col(typed, name)
    if s is None:
        return pd.Series(np.nan, index=typed.index, dtype="float64")
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _text(typed: pd.DataFrame, name: str) -> pd.Series:
    """The column as it is, or all-NA text (dtype str) when the frame has none."""
    s = _col(typed, name)
    if s is None:
        return pd.Series(pd.NA, index=typed.index, dtype="str")
    return s


def icp_fit(typed: pd.DataFrame, icp: IcpParams) -> pd.DataFrame:
    """Per lead: does it meet each criterion of the ideal customer profile (1/0, NaN unknown)."""
    employees = _num(typed, "employees")
    size = ((employees >= icp.employees_min) & (employees <= icp.employees_max)).astype("float64")
    size[employees.isna()] = np.nan
    industry = lowered(_text(typed, "industry"))
    country = lowered(_text(typed, "country"))
    wanted_ind = {x.lower() for x in icp.industries}
    wanted_cty = {x.lower() for x in icp.countries}
    ind = industry.isin(wanted_ind).astype("float64") if wanted_ind else pd.Series(np.nan, index=typed.index)
    ind[industry.isna()] = np.nan
    cty = country.isin(wanted_cty).astype("float64") if wanted_cty else pd.Series(np.nan, index=typed.index)
    cty[country.isna()] = np.nan
    count = size.fillna(0) + ind.fillna(0) + cty.fillna(0)
    return _frame(
        {"icp_size_fit": size, "icp_industry_fit": ind, "icp_country_fit": cty, "icp_fit_count": count},
        typed.index,
    )


def row_features(
    typed: pd.DataFrame, params: FeatureParams, icp: IcpParams, domains: CompanyDomains | None = None
) -> pd.DataFrame:
    """Features of a lead on its own (contact, firmographics, engagement, BANT, extras).

    `domains`: the rows' `company_domains`, when made already."""
    idx = typed.index
    title = _text(typed, "job_title")
    email = _text(typed, "email")
    domain = _text(typed, "company_domain")
    first, last = _text(typed, "first_name"), _text(typed, "last_name")
    out: dict[str, pd.Series] = {
        "source_type": lowered(_text(typed, "source_type")),
        "seniority": contact.title_seniority(title),
        "job_function": contact.title_function(title),
        "decision_maker": contact.is_decision_maker(title).astype("float64"),
        "email_kind": contact.email_kind(email, domain, domains),
        "phone_quality": contact.phone_quality(_text(typed, "phone")),
        "junk_name": contact.is_junk_name(first, last).astype("float64"),
        "name_missing": (~contact.has_value(first) & ~contact.has_value(last)).astype("float64"),
        "industry": lowered(_text(typed, "industry")),
        "country": lowered(_text(typed, "country")),
        "employees": _num(typed, "employees"),
        "annual_revenue": _num(typed, "annual_revenue"),
    }
    fit = icp_fit(typed, icp)
    for name in fit.columns:
        out[name] = fit[name]
    for name in ("page_views", "form_fills", "email_clicks", "webinar_attended", "demo_requested"):
        out[name] = _num(typed, name)
    created, last_act = _col(typed, "created_at"), _col(typed, "last_activity_at")
    # Weekend sign-ups are more often private persons than buyers at work.
    out["created_weekday"] = (
        created.dt.day_of_week.astype("float64") if created is not None else pd.Series(np.nan, index=idx, dtype="float64")
    )
    if created is not None and last_act is not None:
        days = (created - last_act).dt.total_seconds() / 86400.0
        out["days_since_activity"] = days.where(days >= 0).astype("float64")
    else:
        out["days_since_activity"] = pd.Series(np.nan, index=idx, dtype="float64")
    bant = [_num(typed, b) for b in ("budget", "authority", "need", "timing")]
    for name, values in zip(("budget", "authority", "need", "timing"), bant, strict=True):
        out[name] = values
    out["bant_answered"] = sum(b.notna().astype("float64") for b in bant)
    out["bant_yes"] = sum(b.fillna(0) for b in bant)
    for name in params.extra_numeric:
        out[name] = _num(typed, name)
    for name in params.extra_categorical:
        out[name] = lowered(_text(typed, name))
    return _frame(out, idx)


def blank_placeholders(typed: pd.DataFrame, placeholders: tuple[str, ...]) -> pd.DataFrame:
    """Text cells that only stand for "not given" in a CRM export ("Select", "N/A") become missing."""
    if not placeholders:
        return typed
    wanted = {p.strip().lower() for p in placeholders}
    out = {}
    for name in typed.columns:
        s = typed[name]
        if pd.api.types.is_string_dtype(s):
            s = s.where(~s.str.strip().str.lower().isin(wanted))
        out[name] = s
    return _frame(out, typed.index)


def safe_names(names: list[str]) -> list[str]:
    """Unique names of letters, digits and underscores, in the same order."""
    out: list[str] = []
    for name in names:
        base = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_") or "feature"
        candidate, k = base, 2
        while candidate in out:
            candidate, k = f"{base}_{k}", k + 1
        out.append(candidate)
    return out


#: per row a code into the distinct normalized company domains, and those (`contact.normalized_domains`)
CompanyDomains = tuple[np.ndarray, pa.Array]


def company_domains(typed: pd.DataFrame) -> CompanyDomains:
    """The rows' company domains, normalized once per distinct value: the e-mail kind and the
    account keys both read them."""
    return contact.normalized_domains(_text(typed, "company_domain"))


def account_codes(typed: pd.DataFrame, domains: CompanyDomains | None = None) -> tuple[np.ndarray, pd.Index]:
    """The account a lead belongs to (company domain, else company e-mail domain, else company name) as a
    code per lead (-1: none) into the distinct accounts (`domains`: the rows' `company_domains`, when made
    already)."""
    return contact.account_codes(_text(typed, "company_domain"), _text(typed, "company"), _text(typed, "email"),
                                 domains)


@dataclass(frozen=True)
class FeatureBuilder:
    """Everything needed to build the model matrix for any lead, fitted on a training history."""

    params: FeatureParams
    icp: IcpParams
    use_history: bool
    source_as_category: bool
    histories: dict[str, KeyHistory] = field(default_factory=dict)
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)
    numeric: tuple[str, ...] = ()
    as_of: pd.Timestamp | None = None

    @property
    def categorical(self) -> tuple[str, ...]:
        return tuple(self.vocab)

    @property
    def columns(self) -> list[str]:
        """Feature names as the user knows them (extra CRM columns keep their own names)."""
        return [*self.numeric, *self.vocab]

    @property
    def model_columns(self) -> list[str]:
        """The same features under names LightGBM accepts (letters, digits, underscores)."""
        return safe_names(self.columns)

    @classmethod
    def fit_features(
        cls,
        typed: pd.DataFrame,
        train_mask: pd.Series,
        params: FeatureParams,
        icp: IcpParams,
        use_history: bool,
        drop: tuple[str, ...] = (),
        expected: np.ndarray | None = None,
    ) -> tuple[FeatureBuilder, pd.DataFrame]:
        """Index the history (all rows: lookups are point in time) and learn vocabularies (train rows).

        Also returns the rows' `raw_features`, computed on the way (no second pass). `expected`: per
        row, the acceptance a first model expected of the lead; with it, each history key also gets
        `<key>_accept_excess`, how much more often its earlier decided leads were accepted than expected."""
        # Index the history under the keys it will be looked up with ("Select" as a source is no source).
        typed = blank_placeholders(typed, params.missing_values)
        source_cat = params.source_as_category
        histories: dict[str, KeyHistory] = {}
        codes: dict[str, np.ndarray] = {}
        as_of = None
        if use_history:
            created = typed["created_at"]
            status = _col(typed, "sales_status")
            status_at, won_at = _col(typed, "status_at"), _col(typed, "won_at")
            keys: dict[str, pd.Series | None] = {
                "all": pd.Series("all", index=typed.index, dtype="str"),
                "source": _text(typed, "source"),
                "source_type": lowered(_text(typed, "source_type")),
                "account": None,  # comes numbered from the contact parsing: no key per row to hash
            }
            for name in params.history_keys:
                keys[name] = _text(typed, name)
            for name, key in keys.items():
                if key is None:
                    codes[name], accounts = account_codes(typed)
                    histories[name] = KeyHistory.from_codes(codes[name], accounts, created, status, status_at, won_at,
                                                            expected)
                else:
                    histories[name], codes[name] = KeyHistory.build_with_codes(key, created, status, status_at, won_at,
                                                                               expected)
            as_of = histories["all"].end
        builder = cls(params, icp, use_history, source_cat, histories, {}, (), as_of)
        # The training rows are looked up under the very keys just indexed: reuse their codes rather
        # than deriving and hashing the keys again. Not when an extra history key reuses a built-in
        # name (the lookup then derives that key differently from the index).
        reuse = not set(params.history_keys) & set(_BUILT_IN_HISTORIES)
        frame = builder._raw_features(typed, codes if reuse else None)
        train = np.asarray(train_mask, dtype=bool)
        vocab: dict[str, tuple[str, ...]] = {}
        numeric: list[str] = []
        for name in frame.columns:
            if name in drop or name in BASE_RATES:
                continue
            if pd.api.types.is_numeric_dtype(frame[name]):
                numeric.append(name)
            else:
                counts = frame[name][train].value_counts()  # only the categorical columns' train rows
                counts = counts[counts >= 5].head(params.max_categories)
                vocab[name] = (*sorted(map(str, counts.index)), OTHER)
        return cls(params, icp, use_history, source_cat, histories, vocab, tuple(numeric), as_of), frame

    def lookup_times(self, typed: pd.DataFrame) -> pd.Series:
        """Each lead's point in time: its created_at, or the snapshot's end when it has none."""
        created = _col(typed, "created_at")
        if created is None:
            created = pd.Series(pd.NaT, index=typed.index, dtype="datetime64[us]")
        if self.as_of is not None:
            created = created.fillna(self.as_of + pd.Timedelta(seconds=1))
        return created

    def history_features(
        self, typed: pd.DataFrame, codes: dict[str, np.ndarray] | None = None, domains: CompanyDomains | None = None
    ) -> pd.DataFrame:
        """Source, source type, account and extra-key history, as known at each lead's time.

        `codes`: the rows' key codes per history, when known already (`fit_features`); `domains`:
        the rows' `company_domains`, when made already.
        """
        idx = typed.index

        def key_codes(name: str, key: Callable[[], pd.Series]) -> np.ndarray:
            if codes is not None and name in codes:
                return codes[name]
            return self.histories[name].codes(key())

        # (history, rows' key codes, whether to add counts besides rates), in column order
        lookups = [
            ("source", key_codes("source", lambda: _text(typed, "source")), True),
            ("source_type", key_codes("source_type", lambda: lowered(_text(typed, "source_type"))), False),
            *((name, key_codes(name, lambda name=name: _text(typed, name)), True) for name in self.params.history_keys),
        ]
        if codes is not None and "account" in codes:
            accounts = codes["account"]
        else:  # looked up once per distinct account, not per row
            rows, distinct = account_codes(typed, domains)
            accounts = take(self.histories["account"].codes(pd.Series(distinct)), rows, -1)
        at = self.lookup_times(typed)
        # The counting in batches of rows: it makes a few dozen temporary arrays as long as its
        # rows. For a million rows the allocator handed those back to the OS and faulted them in
        # afresh each time, which made this stage grow faster than the number of rows.
        n = len(typed)
        if n <= _HISTORY_BATCH:
            return _frame(self._history_batch(at, lookups, accounts), idx)
        out: dict[str, np.ndarray] = {}
        for start in range(0, n, _HISTORY_BATCH):
            rows = slice(start, start + _HISTORY_BATCH)
            batch = self._history_batch(
                at.iloc[rows], [(name, c[rows], extra) for name, c, extra in lookups], accounts[rows]
            )
            if not out:
                out = {name: np.empty(n, dtype=values.dtype) for name, values in batch.items()}
            for name, values in batch.items():
                out[name][rows] = values
        return _frame(out, idx)

    def _history_batch(
        self, at: pd.Series, lookups: list[tuple[str, np.ndarray, bool]], accounts: np.ndarray
    ) -> dict[str, np.ndarray]:
        m = self.params.history_prior_strength
        w = self.params.history_window_days
        prior = overall_rates(self.histories["all"], at, w)
        out: dict[str, np.ndarray] = {}
        for prefix, codes, extra in lookups:
            c = self.histories[prefix].counts_by_code(codes, at, self.params.committee_window_days, w)
            out[f"{prefix}_accept_rate"] = shrunk_rate(c.accepted, c.decided, prior["accept"], m)
            out[f"{prefix}_won_rate"] = shrunk_rate(c.won, c.leads, prior["won"], m)
            if w > 0:
                # The same rates over the last `history_window_days` only: sources and pages drift.
                out[f"{prefix}_accept_rate_recent"] = shrunk_rate(c.recent_accepted, c.recent_decided, prior["accept_recent"], m)
                out[f"{prefix}_won_rate_recent"] = shrunk_rate(c.recent_won, c.recent_leads, prior["won_recent"], m)
            if self.histories[prefix].expected_cum is not None:
                out[f"{prefix}_accept_excess"] = shrunk_excess(c.accepted, c.expected, c.decided, m)
            if extra:
                out[f"{prefix}_outcomes"] = c.decided.astype("float64")
                out[f"{prefix}_prior_leads"] = c.leads.astype("float64")
                out[f"{prefix}_recent_leads"] = c.recent_leads.astype("float64")
        if w > 0:
            for target in ("accept", "won"):  # not model features: what the calibrator may follow
                out[base_rate_column(target)] = prior[f"{target}_recent"]
        acct = self.histories["account"].counts_by_code(accounts, at, self.params.committee_window_days)
        out["account_prior_leads"] = acct.leads.astype("float64")
        out["account_recent_contacts"] = acct.recent.astype("float64")
        out["account_prior_decided"] = acct.decided.astype("float64")
        out["account_prior_accepted"] = acct.accepted.astype("float64")
        out["account_prior_won"] = acct.won.astype("float64")
        out["account_is_customer"] = (acct.won > 0).astype("float64")
        if self.histories["account"].expected_cum is not None:
            out["account_accept_excess"] = shrunk_excess(acct.accepted, acct.expected, acct.decided, m)
        return out

    def raw_features(self, typed: pd.DataFrame) -> pd.DataFrame:
        """All features before vocabularies are applied (categoricals as text)."""
        return self._raw_features(blank_placeholders(typed, self.params.missing_values), None)

    def _raw_features(self, typed: pd.DataFrame, codes: dict[str, np.ndarray] | None) -> pd.DataFrame:
        """`raw_features` of rows whose placeholders are blanked already, given the rows' history
        key codes when they are known already."""
        domains = company_domains(typed)
        parts = [row_features(typed, self.params, self.icp, domains)]
        if self.use_history:
            parts.append(self.history_features(typed, codes, domains))
        if self.source_as_category:
            parts.append(pd.DataFrame({"source": lowered(_text(typed, "source"))}))
        return pd.concat(parts, axis=1)

    def lead_features(self, typed: pd.DataFrame) -> pd.DataFrame:
        """The model's features that a lead carries on its own (no history): what monitoring profiles."""
        typed = blank_placeholders(typed, self.params.missing_values)
        frame = row_features(typed, self.params, self.icp)
        if self.source_as_category:
            frame = frame.assign(source=lowered(_text(typed, "source")))
        return frame[[name for name in frame.columns if name in self.columns]]

    def transform(self, typed: pd.DataFrame) -> pd.DataFrame:
        """The model matrix: fixed column order, categoricals with the training vocabularies."""
        return self.matrix(self.raw_features(typed))

    def matrix(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Apply vocabularies and column order to `raw_features` output."""
        out: dict[str, pd.Series] = {}
        for name in self.numeric:
            out[name] = frame[name].astype("float64")
        for name, categories in self.vocab.items():
            out[name] = _categorical(frame[name], categories)
        matrix = _frame(out, frame.index)
        matrix.columns = self.model_columns
        return matrix
