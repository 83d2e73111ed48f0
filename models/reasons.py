"""Plain-language reasons: per-row contributions, added up by family, phrased as a rep reads them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: feature -> family; a family's contributions are added up and phrased once.
FAMILIES: dict[str, str] = {
    "demo_requested": "demo",
    "account_recent_contacts": "committee",
    "account_prior_leads": "account", "account_prior_decided": "account",
    "account_prior_accepted": "account", "account_prior_won": "account", "account_is_customer": "account",
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


def family_of(feature: str) -> str:
    if feature in FAMILIES:
        return FAMILIES[feature]
    for suffix in ("_accept_rate_recent", "_won_rate_recent", "_accept_rate", "_won_rate", "_outcomes",
                   "_prior_leads", "_recent_leads"):
        if feature.endswith(suffix):
            return feature[: -len(suffix)] + "_history"
    return feature


def _fmt(values: pd.Series, fmt: str, missing: str = "?") -> pd.Series:
    """Format numbers once per distinct value (lists repeat values a lot)."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    codes, uniques = pd.factorize(v, use_na_sentinel=True)
    texts = np.array([fmt.format(u) for u in uniques] + [missing], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="str")


def _int(values: pd.Series) -> pd.Series:
    return _fmt(pd.to_numeric(values, errors="coerce").fillna(0), "{:,.0f}")


def _pct(values: pd.Series) -> pd.Series:
    return _fmt(values * 100, "{:.0f}") + "%"


def _plain(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return _fmt(values, "{:,.4g}", "unknown")
    text = values.astype("str")
    return text.where(values.notna(), "unknown")


def phrase(family: str, rows: pd.DataFrame, positive: bool, window_days: float, target: str) -> pd.Series:
    """Words a sales rep understands for one family's effect on these rows."""
    sign = "+ " if positive else "- "
    idx = rows.index
    outcome = "won" if target == "won" else "accepted"

    def get(col: str) -> pd.Series:
        return rows[col] if col in rows.columns else pd.Series(np.nan, index=idx)

    if family == "demo":
        yes = get("demo_requested") == 1
        return pd.Series(np.where(yes, sign + "asked for a demo", sign + "did not ask for a demo"), index=idx)
    if family == "committee":
        n = get("account_recent_contacts")
        text = sign + _int(n) + f" other contacts from this company in the last {window_days:g} days"
        return text.where(n.fillna(0) > 0, sign + f"no other contacts from this company in the last {window_days:g} days")
    if family == "account":
        won, acc, leads = get("account_prior_won"), get("account_prior_accepted"), get("account_prior_leads")
        text = pd.Series(sign + "first lead from this company", index=idx)
        earlier = sign + _int(leads) + " earlier leads from this company, " + _int(acc) + " accepted"
        text = text.where(~(leads.fillna(0) > 0), earlier)
        return text.where(~(won.fillna(0) > 0), sign + "existing customer: " + _int(won) + " deal(s) won before")
    if family == "email":
        kinds = {"personal": "personal e-mail address", "company_match": "company e-mail address",
                 "company_other": "e-mail domain differs from the company's", "invalid": "e-mail address is not valid",
                 "missing": "no e-mail address"}
        return sign + get("email_kind").astype("str").map(kinds).fillna("e-mail address")
    if family == "size":
        n = get("employees")
        text = sign + "company of " + _fmt(n, "{:,.0f}") + " employees"
        return text.where(n.notna(), sign + "company size unknown")
    if family == "revenue":
        r = get("annual_revenue")
        text = sign + "annual revenue " + _fmt(r, "{:,.0f}")
        return text.where(r.notna(), sign + "annual revenue unknown")
    if family in ("industry", "country"):
        return sign + family + ": " + _plain(get(family))
    if family == "icp":
        return sign + "meets " + _int(get("icp_fit_count")) + " of 3 ideal-customer criteria"
    if family == "title":
        level = get("seniority").astype("str")
        words = {"c_level": "C-level title", "vp": "VP title", "director": "director title", "head": "head-of title",
                 "manager": "manager title", "senior_ic": "senior individual contributor",
                 "individual": "non-decision-maker title", "entry": "junior or assistant title",
                 "owner": "owner or founder", "student": "student or intern", "other": "title suggests no buying role",
                 "unknown": "no job title"}
        return sign + level.map(words).fillna("job title")
    if family == "source":
        if "source_accept_rate" not in rows.columns:
            return sign + "source: " + _plain(get("source"))
        rate = get("source_won_rate") if target == "won" else get("source_accept_rate")
        seen = get("source_prior_leads").fillna(0) > 0
        text = sign + "its source had " + _pct(rate) + f" of past leads {outcome}"
        return text.where(seen, sign + "a source with no history yet")
    if family == "source_type":
        return sign + "channel: " + _plain(get("source_type"))
    if family == "phone":
        words = {"missing": "no phone number", "invalid": "phone number looks fake", "ok": "phone number given"}
        return sign + get("phone_quality").astype("str").map(words).fillna("phone")
    if family == "name":
        junk = get("junk_name") == 1
        missing = get("name_missing") == 1
        text = pd.Series(sign + "real name given", index=idx)
        text = text.where(~missing, sign + "no name given")
        return text.where(~junk, sign + "name looks made up")
    if family in ("page_views", "form_fills", "email_clicks"):
        label = {"page_views": "page views", "form_fills": "forms filled", "email_clicks": "e-mail clicks"}[family]
        return sign + _int(get(family)) + " " + label
    if family == "webinar":
        yes = get("webinar_attended") == 1
        return pd.Series(np.where(yes, sign + "attended a webinar", sign + "did not attend a webinar"), index=idx)
    if family == "weekday":
        names = {0: "Monday", 1: "Tuesday", 2: "Wednesday", 3: "Thursday", 4: "Friday", 5: "Saturday", 6: "Sunday"}
        day = get("created_weekday").map(names)
        return (sign + "came in on a " + day.astype("str")).where(day.notna(), sign + "day of capture unknown")
    if family == "recency":
        d = get("days_since_activity")
        text = sign + "last activity " + _int(d) + " days before capture"
        return text.where(d.notna(), sign + "no recorded activity")
    if family == "bant":
        return sign + "BANT: " + _int(get("bant_yes")) + " of 4 confirmed, " + _int(get("bant_answered")) + " answered"
    if family.endswith("_history"):
        key = family[: -len("_history")]
        rate = get(f"{key}_won_rate") if target == "won" else get(f"{key}_accept_rate")
        return sign + f"{key} had " + _pct(rate) + f" of past leads {outcome}"
    return sign + family + ": " + _plain(get(family))


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

    @classmethod
    def build(cls, feature_names: tuple[str, ...], top: int, window_days: float, target: str) -> Reasoner:
        fams = [family_of(f) for f in feature_names]
        families = tuple(dict.fromkeys(fams))
        index = np.asarray([families.index(f) for f in fams], dtype="int64")
        return cls(feature_names, families, index, top, window_days, target)

    def family_contributions(self, contrib: np.ndarray) -> np.ndarray:
        out = np.zeros((contrib.shape[0], len(self.families)))
        for j in range(len(self.families)):
            out[:, j] = contrib[:, self.family_index == j].sum(axis=1)
        return out

    def reasons(self, contrib: np.ndarray, raw_features: pd.DataFrame) -> pd.Series:
        """One string per row: up to `top` '+ ...' reasons, then up to `top` '- ...' reasons."""
        fam = self.family_contributions(contrib)
        n = fam.shape[0]
        parts: list[np.ndarray] = []
        order_pos = np.argsort(-fam, axis=1, kind="stable")[:, : self.top]
        order_neg = np.argsort(fam, axis=1, kind="stable")[:, : self.top]
        rows = np.arange(n)
        for order, positive in ((order_pos, True), (order_neg, False)):
            for k in range(order.shape[1]):
                pick = order[:, k]
                effect = fam[rows, pick]
                ok = effect > self.min_effect if positive else effect < -self.min_effect
                text = np.full(n, "", dtype=object)
                for j in np.unique(pick[ok]):
                    sel = ok & (pick == j)
                    sub = raw_features.iloc[np.flatnonzero(sel)]
                    text[sel] = phrase(self.families[j], sub, positive, self.window_days, self.target).to_numpy(dtype=object)
                parts.append(text)
        joined = np.full(n, "", dtype=object)
        for text in parts:
            has = text != ""
            joined = np.where(has & (joined != ""), joined + "; " + text, np.where(has, text, joined))
        return pd.Series(joined, index=raw_features.index, dtype="str")
