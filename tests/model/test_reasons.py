"""The `reasons` text reads as a sales rep writes it: "for: ...; against: ...", no formula-like start,
no reason made of a missing value, an absent column or a never-seen source, no lowercase codes.

Unit checks on a hand-built `Reasoner` (exact words, order, count), then the same rules on a trained
model (the session's `small_model`) scoring the demo history and both new lists.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadsift.models.reasons import ListFacts, Reasoner, country_words, source_type_words, title_words
from leadsift.models.scoring import score_frame

REASONS = r"^(?:for: (?:(?!; against: ).)+(?:; against: .+)?|against: .+)$"

FEATURES = ("demo_requested", "source_accept_rate", "source_prior_leads", "page_views", "country", "industry",
            "source_type", "email_kind", "employees")


def reasoner(top: int = 2) -> Reasoner:
    return Reasoner.build(FEATURES, top=top, window_days=45, target="accepted")


def contributions(rows: list[dict[str, float]]) -> np.ndarray:
    return np.array([[row.get(f, 0.0) for f in FEATURES] for row in rows], dtype="float64")


def raw_features(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FEATURES))
    numeric = ["demo_requested", "source_accept_rate", "source_prior_leads", "page_views", "employees"]
    return frame.astype({c: "float64" for c in numeric}).astype({c: "str" for c in FEATURES if c not in numeric})


def facts(columns: tuple[str, ...], company_domain: list[str | None]) -> ListFacts:
    return ListFacts(frozenset(columns), pd.DataFrame({"company_domain": pd.Series(company_domain, dtype="str")}))


def test_words_strongest_first_top_per_side_and_the_next_strongest_stands_in():
    contrib = contributions([
        # demo strongest; the source (never seen) and page views (missing) are no reasons
        {"demo_requested": 1.0, "source_accept_rate": 0.5, "source_prior_leads": 0.3, "page_views": 0.5,
         "country": 0.3, "industry": 0.2, "email_kind": -0.6, "employees": -0.4, "source_type": -0.1},
        {"source_type": -0.9, "industry": -0.3},
        {"demo_requested": 0.01, "employees": -0.02},  # too weak to be worth a rep's attention
        {"source_accept_rate": 0.7, "email_kind": -0.5},
    ])
    feats = raw_features([
        {"demo_requested": 1, "source_accept_rate": 0.2, "source_prior_leads": 0, "page_views": np.nan,
         "country": "fr", "industry": "financial services", "source_type": "prize_draw", "email_kind": "company_other",
         "employees": 3},
        {"source_type": "inbound_demo", "industry": "it services", "email_kind": "personal"},
        {"demo_requested": 0, "email_kind": "personal", "employees": 40},
        {"source_accept_rate": 0.31, "source_prior_leads": 120, "email_kind": "company_other"},
    ])
    given = ("demo_requested", "page_views", "country", "industry", "source_type", "email", "employees",
             "company_domain")
    out = reasoner().reasons(contrib, feats, facts(given, [None, None, None, "acme.com"]))

    assert out.tolist() == [
        "for: asked for a demo, based in FR; against: company e-mail address, company of 3 employees",
        "against: via inbound demo request, IT Services industry",
        "",
        "for: its source had 31% of past leads accepted; against: e-mail domain differs from the company's",
    ]
    # More room per side: every known family, still strongest first; never a never-seen source or a missing count.
    wide = reasoner(top=5).reasons(contrib, feats, facts(given, [None, None, None, "acme.com"]))
    assert wide[0] == ("for: asked for a demo, based in FR, Financial Services industry; "
                       "against: company e-mail address, company of 3 employees, via prize draw")
    for text in wide:
        assert not text.startswith(("+", "-", "=", "@"))


def test_a_blank_is_a_reason_only_where_the_list_has_the_column():
    contrib = contributions([{"employees": -0.8, "demo_requested": -0.3, "email_kind": -0.2}])
    feats = raw_features([{"employees": np.nan, "demo_requested": np.nan, "email_kind": "missing"}])
    with_columns = reasoner(top=3).reasons(contrib, feats, facts(("employees", "demo_requested", "email"), [None]))
    without = reasoner(top=3).reasons(contrib, feats, facts(("lead_id", "source"), [None]))
    # An empty cell in a column the list has says something about the lead (not so for a missing count
    # or flag: "did not ask for a demo" would be a guess) ...
    assert with_columns.tolist() == ["against: company size unknown, no e-mail address"]
    # ... a column the list does not have says nothing.
    assert without.tolist() == [""]
    assert reasoner().reasons(contrib, feats).tolist() == [""]  # no facts: nothing is known of the list


def test_codes_read_as_words():
    assert [country_words(c) for c in ("fr", "us", "usa", "united kingdom", "côte d'ivoire")] == [
        "FR", "US", "USA", "United Kingdom", "Côte d'Ivoire"]
    assert [title_words(t) for t in ("software", "financial services", "it services", "non-profit", "oil and gas")] == [
        "Software", "Financial Services", "IT Services", "Non-Profit", "Oil and Gas"]
    assert [source_type_words(t) for t in ("prize_draw", "inbound_demo", "purchased_list", "trade-show", "webinar")] == [
        "prize draw", "inbound demo request", "purchased list", "trade show", "webinar"]


# --- the same rules on a trained model ------------------------------------------------------------


def _read(path) -> pd.DataFrame:  # noqa: ANN001
    return pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def lists(small_model):  # noqa: ANN001
    """(bundle, a sample of the history, both new lists), text cells, the model's input columns only."""
    bundle, demo = small_model.bundle, small_model.demo
    history = _read(demo["leads"]).sample(1_500, random_state=11).reset_index(drop=True)
    new = pd.concat([_read(demo["new_prize_draw"]), _read(demo["new_strong"])], ignore_index=True)
    inputs = [c for c in bundle.input_columns if c in history.columns]
    return bundle, history[inputs], new[inputs]


def items(reasons: pd.Series) -> pd.Series:
    """Every single reason, one per row (a reason holds no ", ": numbers are written 1,200)."""
    parts = reasons[reasons != ""].str.replace(r"^for: |; against: |^against: ", "\n", regex=True)
    return parts.str.split(r"\n|, ", regex=True).explode().loc[lambda s: s != ""]


def test_reasons_never_start_like_a_formula_and_keep_their_format(lists):
    bundle, history, new = lists
    top = bundle.reasons_top
    for frame in (history, new):
        reasons = score_frame(bundle, frame)["reasons"]
        assert (reasons != "").mean() > 0.9
        assert not reasons.str.match(r"^[+\-=@]").any()
        assert reasons[reasons != ""].str.match(REASONS).all()
        pro = reasons.str.extract(r"^for: ((?:(?!; against: ).)*)", expand=False).dropna()
        con = reasons.str.extract(r"against: (.*)$", expand=False).dropna()
        assert (pro.str.count(", ") < top).all() and (con.str.count(", ") < top).all()


def test_a_source_the_history_never_saw_is_no_reason(lists):
    bundle, history, new = lists
    unseen = score_frame(bundle, new)["reasons"]  # both new lists come from sources the history never used
    assert not unseen.str.contains(r"source|no history|its source had", regex=True).any()
    # The rule only silences the unknown: a known source is a reason where the model leans on it.
    assert score_frame(bundle, history)["reasons"].str.contains("its source had", regex=False).any()
    # The lead's own signals take the source's place: as many reasons per lead as before.
    assert items(unseen).groupby(level=0).size().mean() >= 4


def test_no_lowercase_codes(lists):
    bundle, history, new = lists
    frame = pd.concat([history, new], ignore_index=True)
    frame = frame.assign(country=frame["country"].str.lower(), industry=frame["industry"].str.lower())
    reasons = score_frame(bundle, frame)["reasons"]
    every = items(reasons)
    assert not every.str.contains(r"country: |industry: |channel: |_", regex=True).any()
    assert not every.str.contains(r"^based in [a-z]", regex=True).any()
    assert not every.str.contains(r"^[a-z][\w -]* industry$", regex=True).any()
    assert not every.str.match(r"^via (?:prize_draw|inbound_demo|purchased_list|paid_search)").any()
    # and they are said: some leads get their country, industry or channel as a reason
    assert every.str.match(r"^(?:based in [A-Z]|[A-Z][\w -]* industry$|via [a-z])").any()


def test_e_mail_domain_differs_only_when_the_lead_has_a_company_domain(lists):
    bundle, history, new = lists
    frame = pd.concat([history, new], ignore_index=True)
    # Every e-mail on a company-looking domain other than the company's own.
    n = pd.Series(frame.index.astype("str"), index=frame.index)
    other = frame.assign(email="jo.doe@elsewhere-" + n + ".io", company_domain="company-" + n + ".com")
    with_domain = score_frame(bundle, other)["reasons"]
    without_column = score_frame(bundle, other.drop(columns="company_domain"))["reasons"]
    blank = other.assign(company_domain=np.where(np.arange(len(other)) % 2 == 0, None, other["company_domain"]))
    half_blank = score_frame(bundle, blank)["reasons"]

    differs = "e-mail domain differs from the company's"
    assert with_domain.str.contains(differs, regex=False).any(), "the model should lean on it somewhere"
    assert not without_column.str.contains(differs, regex=False).any()
    no_domain = blank["company_domain"].isna().to_numpy()
    assert not half_blank[no_domain].str.contains(differs, regex=False).any()
    # What is known instead: a company e-mail address.
    assert without_column.str.contains("company e-mail address", regex=False).any()


#: input column -> words a reason about it would use
ABOUT = {
    "page_views": r"page view",
    "form_fills": r"forms? filled",
    "email_clicks": r"e-mail clicks?",
    "demo_requested": r"ask(?:ed)? for a demo",
    "webinar_attended": r"attend(?:ed)? a webinar",
    "last_activity_at": r"last activity",
    "phone": r"phone",
    "job_title": r"title|founder|student|individual contributor",
    "employees": r"employee|company size",
    "email": r"e-mail address|e-mail domain",
}


@pytest.mark.parametrize("column", sorted(ABOUT))
def test_a_column_the_list_lacks_is_no_reason(lists, column):
    bundle, history, new = lists
    frame = pd.concat([history, new], ignore_index=True)
    with_column = score_frame(bundle, frame)["reasons"]
    without = score_frame(bundle, frame.drop(columns=column))["reasons"]
    assert with_column.str.contains(ABOUT[column], regex=True).any(), f"{column}: the model should use it"
    assert not without.str.contains(ABOUT[column], regex=True).any(), column
    assert not without.str.contains(r"\b0 (?:page views|forms filled|e-mail clicks)", regex=True).any()


def test_a_missing_count_is_not_phrased_as_zero(lists):
    bundle, history, new = lists
    frame = pd.concat([history, new], ignore_index=True)
    blank = np.arange(len(frame)) % 2 == 0
    frame = frame.assign(page_views=frame["page_views"].where(~blank), form_fills=frame["form_fills"].where(~blank))
    reasons = score_frame(bundle, frame)["reasons"]
    assert not reasons[blank].str.contains(r"page view|forms? filled", regex=True).any()
    assert reasons[~blank].str.contains(r"page view|forms? filled", regex=True).any()
    # a real zero may be a reason, in words
    assert not reasons.str.contains(r"\b0 (?:page views|forms filled)", regex=True).any()
