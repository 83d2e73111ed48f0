"""Plain-language reasons: per-row contributions, added up by family, phrased as a rep reads them.

A lead's reasons read "for: asked for a demo, C-level title; against: no phone number": up to
`top` families for the lead and up to `top` against it, strongest first; a half with nothing in it
is left out. Nothing starts with a character a spreadsheet would run as a formula.

A family is a reason only where it says something known about the lead. A missing value (NaN in
the raw features) is never phrased as 0 or "unknown"; a blank cell is a reason only for the fields
where a blank is itself a fact a rep can act on (no phone number, no job title, company size
unknown, ...) and only when the list has that column; a source (or extra history key) the history
never saw is no reason: its novelty says nothing about the lead. The next strongest family takes
the place of one that is not a reason. Phrases are made once per distinct value, never per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features.build import account_codes, blank_placeholders
from leadsift.features.contact import normalize_domain
from leadsift.features.text import arrow_strings, str_series

#: feature -> family; a family's contributions are added up and phrased once.
FAMILIES: dict[str, str] = {
    "demo_requested": "demo",
    "account_recent_contacts": "committee",
    "account_prior_leads": "account", "account_prior_decided": "account",
    "account_prior_accepted": "account", "account_prior_won": "account", "account_is_customer": "account",
    "account_accept_excess": "account", "source_accept_excess": "source", "source_type_accept_excess": "source_type",
    "email_kind": "email",
    "employees": "size", "icp_size_fit": "size",
    "annual_revenue": "revenue",
    "industry": "industry", "icp_industry_fit": "industry",
    "country": "country", "icp_country_fit": "country",
    "icp_fit_count": "icp",
    "seniority": "title", "job_function": "title", "decision_maker": "title",
    "source": "source", "source_accept_rate": "source", "source_won_rate": "source",
    "source_accept_rate_recent": "source", "source_won_rate_recent": "source",
    "source_outcomes": "source", "source_prior_leads": "source", "source_recent_leads": "source",
    "source_type": "source_type", "source_type_accept_rate": "source_type", "source_type_won_rate": "source_type",
    "source_type_accept_rate_recent": "source_type", "source_type_won_rate_recent": "source_type",
    "phone_quality": "phone",
    "junk_name": "name", "name_missing": "name",
    "page_views": "page_views", "form_fills": "form_fills", "email_clicks": "email_clicks",
    "webinar_attended": "webinar", "days_since_activity": "recency", "created_weekday": "weekday",
    "budget": "bant", "authority": "bant", "need": "bant", "timing": "bant",
    "bant_answered": "bant", "bant_yes": "bant",
}

#: list columns the wording reads besides the model's features (see `ListFacts`)
LIST_COLUMNS = ("company_domain", "company", "email", "source")

#: family -> the list columns whose blank cell is itself worth telling a rep ("no phone number");
#: without any of them in the list, a blank is the absence of a column and no reason at all
_BLANK_IS_A_FACT: dict[str, tuple[str, ...]] = {
    "email": ("email",), "phone": ("phone",), "title": ("job_title",), "name": ("first_name", "last_name"),
    "size": ("employees",), "revenue": ("annual_revenue",), "industry": ("industry",), "country": ("country",),
}

_SOURCE_TYPE_WORDS = {
    "inbound_demo": "inbound demo request", "demo_request": "inbound demo request", "prize_draw": "prize draw",
    "purchased_list": "purchased list", "paid_search": "paid search", "tradeshow": "trade show",
    "organic": "organic search", "email": "e-mail campaign", "social": "social media",
    "content": "content download", "partner": "partner referral",
}
_ACRONYMS = {"it": "IT", "ai": "AI", "hr": "HR", "ict": "ICT", "iot": "IoT", "pr": "PR", "saas": "SaaS",
             "b2b": "B2B", "b2c": "B2C", "ngo": "NGO", "usa": "USA", "uk": "UK", "us": "US", "eu": "EU",
             "uae": "UAE"}
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "d", "de", "du", "des", "la", "le", "y", "und"})
_WORD = re.compile(r"[^\W_]+")


def family_of(feature: str) -> str:
    if feature in FAMILIES:
        return FAMILIES[feature]
    for suffix in ("_accept_rate_recent", "_won_rate_recent", "_accept_rate", "_won_rate", "_outcomes",
                   "_prior_leads", "_recent_leads", "_accept_excess"):
        if feature.endswith(suffix):
            return feature[: -len(suffix)] + "_history"
    return feature


# --------------------------------------------------------------------------- words, per distinct value


def _per_value(values: pd.Series, word: Callable[[object], str], missing: str = "?") -> pd.Series:
    """`word(value)` once per distinct value (lists repeat values a lot); `missing` for NA."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [word(u) for u in uniques] + [missing]
    return _taken(texts, np.where(codes < 0, len(uniques), codes), values.index)


def _taken(texts: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """`texts[code]` per row as a dtype str Series, taken from the small table: no text made per row."""
    return str_series(pa.array(texts, pa.large_string()).take(codes), index)


def _fmt(values: pd.Series, fmt: str) -> pd.Series:
    return _per_value(pd.to_numeric(values, errors="coerce").astype("float64"), fmt.format)


def _int(values: pd.Series) -> pd.Series:
    return _fmt(values, "{:,.0f}")


def _count(values: pd.Series, one: str, many: str, none: str | None = None) -> pd.Series:
    """"1 page view", "3 page views", and `none` (else "0 page views") for a true zero."""
    def word(v: float) -> str:
        if none is not None and round(v) == 0:
            return none
        return f"{v:,.0f} {one if round(v) == 1 else many}"
    return _per_value(pd.to_numeric(values, errors="coerce").astype("float64"), word)


def _pct(values: pd.Series) -> pd.Series:
    return _fmt(values * 100, "{:.0f}") + "%"


def title_words(text: str) -> str:
    """Lowercase category text as a person writes it: "financial services" -> "Financial Services",
    "it services" -> "IT Services", "non-profit" -> "Non-Profit"."""
    def cap(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in _ACRONYMS:
            return _ACRONYMS[w]
        if m.start() > 0 and w in _SMALL_WORDS:
            return w
        return w[:1].upper() + w[1:]
    return _WORD.sub(cap, str(text))


def country_words(text: str) -> str:
    """A country as a person reads it: codes upper-cased ("fr" -> "FR"), names title-cased."""
    text = str(text)
    return text.upper() if len(text) <= 3 and text.isalpha() else title_words(text)


def source_type_words(text: str) -> str:
    """A source type code as words: "prize_draw" -> "prize draw", "inbound_demo" -> "inbound demo request"."""
    text = str(text)
    return _SOURCE_TYPE_WORDS.get(text, re.sub(r"[\s_-]+", " ", text).strip())


def feature_words(name: str) -> str:
    """A column name as words: "intent_score" -> "intent score"."""
    return re.sub(r"[\s_]+", " ", name).strip()


# --------------------------------------------------------------------------- what the list says


@dataclass(frozen=True)
class ListFacts:
    """What the scored list itself says, beyond the model's features, for the wording only:
    which columns it has, and its `LIST_COLUMNS` cells (placeholders blanked), row for row."""

    columns: frozenset[str] = frozenset()
    cells: pd.DataFrame | None = None

    @classmethod
    def of(cls, typed: pd.DataFrame, missing_values: tuple[str, ...] = ()) -> ListFacts:
        """From the typed contract rows the features are built from (`missing_values`: the
        feature params' placeholders for "not given")."""
        cells = typed[[c for c in LIST_COLUMNS if c in typed.columns]]
        return cls(frozenset(typed.columns), blank_placeholders(cells, missing_values))


class _Rows:
    """The raw features and the list's facts at some row positions, read column by column."""

    def __init__(self, feats: pd.DataFrame, facts: ListFacts, pos: np.ndarray) -> None:
        self.feats, self.facts, self.pos = feats, facts, pos
        self.index = pd.RangeIndex(len(pos))

    def __len__(self) -> int:
        return len(self.pos)

    def get(self, col: str) -> pd.Series:
        """The raw feature `col` at these rows (all NaN when there is no such feature)."""
        if col not in self.feats.columns:
            return pd.Series(np.nan, index=self.index, dtype="float64")
        s = self.feats[col].iloc[self.pos]
        s.index = self.index
        return s

    def cell(self, col: str) -> pd.Series | None:
        """The list's own cell in `col` (one of LIST_COLUMNS) at these rows, or None without it."""
        cells = self.facts.cells
        if cells is None or col not in cells.columns:
            return None
        s = cells[col].iloc[self.pos]
        s.index = self.index
        return s

    def given(self, family: str) -> bool:
        """Whether the list has a column whose blank cell is worth telling for this family."""
        return any(c in self.facts.columns for c in _BLANK_IS_A_FACT.get(family, ()))

    def account_named(self, at: np.ndarray) -> np.ndarray:
        """Per row: the lead names its company (domain, company e-mail domain or name); worked out
        only at the rows `at` (bool), False elsewhere."""
        out = np.zeros(len(self.pos), dtype=bool)
        cells = self.facts.cells
        if cells is not None and len(cells.columns) and at.any():
            out[at] = account_codes(cells.iloc[self.pos[at]])[0] >= 0
        return out

    def company_domain_given(self, at: np.ndarray) -> np.ndarray:
        """Per row: the lead has a company domain (what its e-mail is compared with); worked out
        only at the rows `at` (bool), False elsewhere."""
        out = np.zeros(len(self.pos), dtype=bool)
        domain = self.cell("company_domain")
        if domain is not None and at.any():
            out[at] = normalize_domain(domain[at]).notna().to_numpy()
        return out


# --------------------------------------------------------------------------- known, and in words


def _notna(s: pd.Series) -> np.ndarray:
    return s.notna().to_numpy()


def _positive(s: pd.Series) -> np.ndarray:
    return (pd.to_numeric(s, errors="coerce") > 0).fillna(False).to_numpy(dtype=bool)


def known(family: str, rows: _Rows, source_vocab: frozenset[str] = frozenset()) -> np.ndarray:
    """Per row: does this family say something known about the lead (else it is no reason)?"""
    get = rows.get
    if family == "committee":
        n = get("account_recent_contacts")
        some = _positive(n)
        return _notna(n) & (some | rows.account_named(_notna(n) & ~some))
    if family == "account":
        leads, won = get("account_prior_leads"), get("account_prior_won")
        some = _positive(leads) | _positive(won)
        return _notna(leads) & (some | rows.account_named(_notna(leads) & ~some))
    if family == "email":
        return (get("email_kind") != "missing").fillna(False).to_numpy(dtype=bool) | rows.given(family)
    if family == "title":
        return (get("seniority") != "unknown").fillna(False).to_numpy(dtype=bool) | rows.given(family)
    if family == "phone":
        return (get("phone_quality") != "missing").fillna(False).to_numpy(dtype=bool) | rows.given(family)
    if family == "name":
        return ~(get("name_missing") == 1).to_numpy(dtype=bool) | (get("junk_name") == 1).to_numpy(dtype=bool) \
            | rows.given(family)
    if family in ("size", "revenue", "industry", "country"):
        col = {"size": "employees", "revenue": "annual_revenue"}.get(family, family)
        return _notna(get(col)) | rows.given(family)
    if family == "icp":
        fits = [_notna(get(c)) for c in ("icp_size_fit", "icp_industry_fit", "icp_country_fit")]
        return fits[0] | fits[1] | fits[2]
    if family == "source":
        if "source_accept_rate" not in rows.feats.columns:
            return get("source").isin(source_vocab).to_numpy(dtype=bool)
        return _positive(get("source_prior_leads")) & _notna(get("source_accept_rate"))
    if family == "bant":
        return _positive(get("bant_answered"))
    if family.endswith("_history"):
        key = family[: -len("_history")]
        seen = _positive(get(f"{key}_prior_leads")) if f"{key}_prior_leads" in rows.feats.columns else True
        return seen & _notna(get(f"{key}_accept_rate"))
    col = {"demo": "demo_requested", "webinar": "webinar_attended", "weekday": "created_weekday",
           "recency": "days_since_activity"}.get(family, family)
    return _notna(get(col))


def phrase(family: str, rows: _Rows, window_days: float, target: str) -> pd.Series:
    """Words a sales rep understands for one family, at rows where it is `known`."""
    idx = rows.index
    get = rows.get
    outcome = "won" if target == "won" else "accepted"

    def words(yes: pd.Series | np.ndarray, if_yes: str, if_no: str) -> pd.Series:
        return _taken([if_no, if_yes], np.asarray(yes, dtype=bool).astype("int8"), idx)

    if family == "demo":
        return words(get("demo_requested") == 1, "asked for a demo", "did not ask for a demo")
    if family == "committee":
        n = get("account_recent_contacts")
        return _count(n, "other contact", "other contacts", "no other contacts") \
            + f" from this company in the last {window_days:g} days"
    if family == "account":
        won, acc, leads = get("account_prior_won"), get("account_prior_accepted"), get("account_prior_leads")
        text = pd.Series("first lead from this company", index=idx, dtype="str")
        earlier = _count(leads, "earlier lead", "earlier leads") + " from this company (" + _int(acc) + " accepted)"
        text = text.where(~_positive(leads), earlier)
        return text.where(~_positive(won), "existing customer (" + _count(won, "deal", "deals") + " won before)")
    if family == "email":
        kinds = {"personal": "personal e-mail address", "company_match": "company e-mail address",
                 "company_other": "company e-mail address", "invalid": "e-mail address is not valid",
                 "missing": "no e-mail address"}
        kind = get("email_kind")
        text = _per_value(kind, lambda k: kinds.get(k, "e-mail address"), "e-mail address")
        # "differs" only where there is a company domain to differ from
        other = (kind == "company_other").fillna(False).to_numpy(dtype=bool)
        differs = rows.company_domain_given(other)
        return text.where(~differs, "e-mail domain differs from the company's")
    if family == "size":
        n = get("employees")
        return ("company of " + _count(n, "employee", "employees")).where(n.notna(), "company size unknown")
    if family == "revenue":
        r = get("annual_revenue")
        return ("annual revenue " + _int(r)).where(r.notna(), "annual revenue unknown")
    if family == "industry":
        v = get("industry")
        return (_per_value(v, title_words) + " industry").where(v.notna(), "industry unknown")
    if family == "country":
        v = get("country")
        return ("based in " + _per_value(v, country_words)).where(v.notna(), "country unknown")
    if family == "icp":
        unknown = sum(get(c).isna().astype("int64") for c in ("icp_size_fit", "icp_industry_fit", "icp_country_fit"))
        text = "meets " + _int(get("icp_fit_count")) + " of 3 ideal-customer criteria"
        return text.where(unknown == 0, text + " (" + _int(unknown) + " unknown)")
    if family == "title":
        levels = {"c_level": "C-level title", "vp": "VP title", "director": "director title", "head": "head-of title",
                  "manager": "manager title", "senior_ic": "senior individual contributor",
                  "individual": "non-decision-maker title", "entry": "junior or assistant title",
                  "owner": "owner or founder", "student": "student or intern", "other": "title suggests no buying role",
                  "unknown": "no job title"}
        return _per_value(get("seniority"), lambda s: levels.get(s, "job title"), "job title")
    if family == "source":
        if "source_accept_rate" not in rows.feats.columns:
            name = rows.cell("source")
            return "from " + (name if name is not None else get("source")).fillna("?").astype("str")
        rate = get("source_won_rate") if target == "won" else get("source_accept_rate")
        return "its source had " + _pct(rate) + f" of past leads {outcome}"
    if family == "source_type":
        return "via " + _per_value(get("source_type"), source_type_words)
    if family == "phone":
        quality = {"missing": "no phone number", "invalid": "phone number looks fake", "ok": "phone number given"}
        return _per_value(get("phone_quality"), lambda q: quality.get(q, "phone"), "phone")
    if family == "name":
        text = words(get("name_missing") == 1, "no name given", "real name given")
        return text.where(~(get("junk_name") == 1).to_numpy(dtype=bool), "name looks made up")
    if family == "page_views":
        return _count(get(family), "page view", "page views", "no page views")
    if family == "form_fills":
        return _count(get(family), "form filled", "forms filled", "no forms filled")
    if family == "email_clicks":
        return _count(get(family), "e-mail click", "e-mail clicks", "no e-mail clicks")
    if family == "webinar":
        return words(get("webinar_attended") == 1, "attended a webinar", "did not attend a webinar")
    if family == "weekday":
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        return "came in on a " + _per_value(get("created_weekday"), lambda d: names[int(d) % 7])
    if family == "recency":
        d = get("days_since_activity")
        return ("last activity " + _count(d, "day", "days") + " before capture").where(
            d >= 0.5, "last activity on the day of capture")
    if family == "bant":
        answered = get("bant_answered")
        text = _int(get("bant_yes")) + " of 4 BANT criteria confirmed"
        return text.where(answered >= 4, text + " (" + _int(answered) + " answered)")
    if family.endswith("_history"):
        key = family[: -len("_history")]
        rate = get(f"{key}_won_rate") if target == "won" else get(f"{key}_accept_rate")
        return f"its {feature_words(key)} had " + _pct(rate) + f" of past leads {outcome}"
    v = get(family)
    label = feature_words(family) + " "
    if pd.api.types.is_numeric_dtype(v):
        return label + _fmt(v, "{:,.4g}")
    return label + _per_value(v, title_words)


@dataclass(frozen=True)
class Reasoner:
    """Turns contributions into the `reasons` text, strongest for and against first."""

    feature_names: tuple[str, ...]
    families: tuple[str, ...]
    family_index: np.ndarray  # feature -> family position
    top: int
    window_days: float
    target: str
    min_effect: float = 0.05  # log-odds; weaker effects are not worth a rep's attention
    source_vocab: frozenset[str] = field(default_factory=frozenset)  # sources the model knows by name

    @classmethod
    def build(cls, feature_names: tuple[str, ...], top: int, window_days: float, target: str,
              source_vocab: frozenset[str] = frozenset()) -> Reasoner:
        fams = [family_of(f) for f in feature_names]
        families = tuple(dict.fromkeys(fams))
        index = np.asarray([families.index(f) for f in fams], dtype="int64")
        return cls(feature_names, families, index, top, window_days, target, source_vocab=frozenset(source_vocab))

    def family_contributions(self, contrib: np.ndarray) -> np.ndarray:
        out = np.zeros((contrib.shape[0], len(self.families)))
        for j in range(len(self.families)):
            out[:, j] = contrib[:, self.family_index == j].sum(axis=1)
        return out

    def reasons(self, contrib: np.ndarray, raw_features: pd.DataFrame, facts: ListFacts | None = None) -> pd.Series:
        """One string per row: "for: a, b, c; against: d, e", up to `top` each, strongest first.

        `facts`: what the list itself says (`ListFacts.of`); without it, no blank cell is a reason
        and no e-mail is said to differ from the company's domain."""
        facts = facts if facts is not None else ListFacts()
        picks = self._picks(self.family_contributions(contrib), raw_features, facts)
        words, place = self._words(picks, raw_features, facts)
        pro, con = _side("for: ", words, place[:, : self.top]), _side("against: ", words, place[:, self.top :])
        joined = pc.coalesce(pc.binary_join_element_wise(pro, con, _text("; ")), pro, con, _text(""))
        return str_series(joined, raw_features.index)

    def _picks(self, fam: np.ndarray, raw_features: pd.DataFrame, facts: ListFacts) -> np.ndarray:
        """Per row the families to tell, `top` slots for then `top` against (-1: none), strongest first.

        Only strong families that are `known` count. `known` is asked only where a family would make
        the top (some are costly, and most rows' weaker families never would); a row whose pick
        turns out not to be known is ranked again without it."""
        effects = (np.where(fam > self.min_effect, fam, 0.0), np.where(fam < -self.min_effect, -fam, 0.0))
        asked = np.zeros(fam.shape, dtype=bool)
        picks = np.empty((len(fam), 2 * self.top), dtype="int64")
        rows = np.arange(len(fam))
        while len(rows):
            chosen = np.hstack([_strongest(_at(effect, rows), self.top) for effect in effects])
            picks[rows] = chosen
            at, slot = np.nonzero(chosen >= 0)
            row, family = rows[at], chosen[at, slot]
            fresh = ~asked[row, family]
            row, family = row[fresh], family[fresh]
            asked[row, family] = True
            unknown = self._unknown(row, family, raw_features, facts)
            for effect in effects:
                effect[row[unknown], family[unknown]] = 0.0
            rows = np.unique(row[unknown])
        return picks

    def _unknown(self, row: np.ndarray, family: np.ndarray, raw_features: pd.DataFrame,
                 facts: ListFacts) -> np.ndarray:
        """Per (row, family) pair: the family says nothing known about the lead at that row."""
        out = np.zeros(len(row), dtype=bool)
        for j, at in _groups(family):
            out[at] = ~known(self.families[j], _Rows(raw_features, facts, row[at]), self.source_vocab)
        return out

    def _words(self, picks: np.ndarray, raw_features: pd.DataFrame, facts: ListFacts) -> tuple[pa.Array, np.ndarray]:
        """The words of every pick, and per row and slot (as `picks`) the position of its words (-1: none).

        Each family is phrased once, at every row that picks it in any slot: a call to `phrase`
        costs more than a row."""
        row, slot = np.nonzero(picks >= 0)
        place = np.full(picks.shape, -1, dtype="int64")
        words: list[pa.Array] = []
        done = 0
        for j, at in _groups(picks[row, slot]):
            rows = _Rows(raw_features, facts, row[at])
            words.append(arrow_strings(phrase(self.families[j], rows, self.window_days, self.target).array))
            place[row[at], slot[at]] = np.arange(done, done + len(at))
            done += len(at)
        return (pa.concat_arrays(words) if words else pa.array([], pa.large_string())), place


def _strongest(effect: np.ndarray, top: int) -> np.ndarray:
    """Per row the positions of its `top` largest positive `effect`s, largest first, -1 past the last.

    Equal effects come in position order, as a stable sort has them; `top` argmax passes beat a
    sort of every family."""
    work = np.array(effect, dtype="float64", order="C")  # a copy: each pick is zeroed in it
    flat = work.reshape(-1)
    first = np.arange(0, flat.size, max(work.shape[1], 1))
    out = np.full((len(work), top), -1, dtype="int64")
    for k in range(min(top, work.shape[1])):
        pick = work.argmax(axis=1)
        at = first + pick
        out[:, k] = np.where(flat[at] > 0, pick, -1)
        flat[at] = 0.0
    return out


def _at(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`values[rows]` (`rows` sorted and distinct), with no copy when they are all the rows."""
    return values if len(rows) == len(values) else values[rows]


def _groups(keys: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Each distinct key (a family position) and where it is, in order."""
    small = keys.astype(np.min_scalar_type(int(keys.max(initial=0))))  # small ints sort by radix: fast
    order = np.argsort(small, kind="stable")
    bounds = np.flatnonzero(np.diff(small[order], prepend=-1, append=-1))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        yield int(small[order[a]]), order[a:b]


def _side(label: str, words: pa.Array, place: np.ndarray) -> pa.Array:
    """Per row `label` and its `words` at `place` (-1 past its last) as "a, b, c"; null for a row with none."""
    row, slot = np.nonzero(place >= 0)
    counts = np.bincount(row, minlength=len(place))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), pa.int64())
    lists = pa.LargeListArray.from_arrays(offsets, words.take(place[row, slot]), mask=pa.array(counts == 0))
    return pc.binary_join_element_wise(_text(label), pc.binary_join(lists, _text(", ")), _text(""))


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())
