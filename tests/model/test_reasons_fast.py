"""`Reasoner.reasons` (families picked with integer work, `known` asked only where it matters, each
family phrased once) writes exactly what a plain row-by-row reading of its rules writes.

The reference below takes one row at a time: every strong family that is `known` there, sorted by
strength (ties in family order), the first `top` each way, each phrased on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadsift.models.reasons import ListFacts, Reasoner, _Rows, known, phrase

FEATURES = ("demo_requested", "source_accept_rate", "source_prior_leads", "page_views", "country", "industry",
            "source_type", "email_kind", "employees", "account_recent_contacts")
NUMERIC = ("demo_requested", "source_accept_rate", "source_prior_leads", "page_views", "employees",
           "account_recent_contacts")
#: effects drawn from a few values, so that ties (within a row and between sides) are common
EFFECTS = np.array([-0.9, -0.3, -0.3, -0.05, -0.01, 0.0, 0.0, 0.01, 0.05, 0.3, 0.3, 0.9])


def reference(reasoner: Reasoner, contrib: np.ndarray, feats: pd.DataFrame, facts: ListFacts) -> list[str]:
    """The reasons, one row at a time."""
    fam = reasoner.family_contributions(contrib)
    out = []
    for i in range(len(fam)):
        one = _Rows(feats, facts, np.array([i]))
        told = [j for j, f in enumerate(reasoner.families)
                if abs(fam[i, j]) > reasoner.min_effect and known(f, one, reasoner.source_vocab)[0]]
        pro = sorted((j for j in told if fam[i, j] > 0), key=lambda j: (-fam[i, j], j))[: reasoner.top]
        con = sorted((j for j in told if fam[i, j] < 0), key=lambda j: (fam[i, j], j))[: reasoner.top]

        def words(js: list[int], one: _Rows = one) -> str:
            return ", ".join(phrase(reasoner.families[j], one, reasoner.window_days, reasoner.target).iloc[0]
                             for j in js)
        parts = [f"for: {words(pro)}"] * bool(pro) + [f"against: {words(con)}"] * bool(con)
        out.append("; ".join(parts))
    return out


def random_case(seed: int, n: int = 80) -> tuple[np.ndarray, pd.DataFrame, ListFacts]:
    """Contributions with ties, all-zero rows and rows with only "against" reasons; raw features with gaps."""
    rng = np.random.default_rng(seed)
    contrib = rng.choice(EFFECTS, size=(n, len(FEATURES)))
    contrib[rng.random(n) < 0.1] = 0.0
    against = rng.random(n) < 0.15
    contrib[against] = -np.abs(contrib[against])

    def maybe(values: np.ndarray) -> np.ndarray:
        return np.where(rng.random(n) < 0.25, None, values)

    feats = pd.DataFrame({
        "demo_requested": maybe(rng.integers(0, 2, n)),
        "source_accept_rate": maybe(rng.choice([0.1, 0.25, 0.31], n)),
        "source_prior_leads": maybe(rng.choice([0, 3, 120], n)),
        "page_views": maybe(rng.integers(0, 4, n)),
        "country": maybe(rng.choice(["fr", "united kingdom", "us"], n)),
        "industry": maybe(rng.choice(["it services", "software"], n)),
        "source_type": maybe(rng.choice(["prize_draw", "inbound_demo", "webinar"], n)),
        "email_kind": maybe(rng.choice(["personal", "company_other", "missing", "invalid"], n)),
        "employees": maybe(rng.choice([1, 3, 40, 1200], n)),
        "account_recent_contacts": maybe(rng.integers(0, 3, n)),
    }).astype({c: "float64" for c in NUMERIC}).astype({c: "str" for c in FEATURES if c not in NUMERIC})
    cells = pd.DataFrame({
        "company_domain": pd.Series(maybe(rng.choice(["acme.com", "gmail.com", "  "], n)), dtype="str"),
        "company": pd.Series(maybe(rng.choice(["Acme", "n/a"], n)), dtype="str"),
        "email": pd.Series(maybe(rng.choice(["jo@acme.com", "jo@gmail.com", "x"], n)), dtype="str"),
    })
    columns = frozenset(rng.choice(["employees", "email", "country", "industry", "company_domain", "company"],
                                   size=4, replace=False))
    return contrib, feats, ListFacts(columns, cells)


@pytest.mark.parametrize("top", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reasons_equal_a_row_by_row_reading(top: int, seed: int) -> None:
    contrib, feats, facts = random_case(seed * 10 + top)
    reasoner = Reasoner.build(FEATURES, top=top, window_days=45, target="accepted")
    got = reasoner.reasons(contrib, feats, facts)
    assert got.tolist() == reference(reasoner, contrib, feats, facts)
    assert str(got.dtype) == "str" and got.index.equals(feats.index)
    # the cases the test means to cover are there
    assert (got == "").any() and got.str.startswith("against: ").any() and got.str.contains("; against: ").any()


def test_no_room_and_no_rows() -> None:
    contrib, feats, facts = random_case(7)
    assert Reasoner.build(FEATURES, top=0, window_days=45, target="won").reasons(contrib, feats, facts).eq("").all()
    empty = Reasoner.build(FEATURES, top=3, window_days=45, target="won").reasons(contrib[:0], feats.iloc[:0], facts)
    assert len(empty) == 0 and str(empty.dtype) == "str"


def test_a_row_keeps_its_index_label() -> None:
    contrib, feats, facts = random_case(3, n=20)
    reasoner = Reasoner.build(FEATURES, top=3, window_days=45, target="accepted")
    shifted = feats.set_axis(pd.RangeIndex(100, 120))
    got = reasoner.reasons(contrib, shifted, facts)
    assert got.index.equals(shifted.index)
    assert got.tolist() == reasoner.reasons(contrib, feats, facts).tolist()
