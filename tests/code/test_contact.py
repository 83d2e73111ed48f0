"""Contact and company features: one table per function, run as one vectorized call.

Every table call also checks that the index is kept, the inputs are untouched and the
output stays inside its declared vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadsift.features import contact

NA = np.nan


def _index(n: int) -> pd.Index:
    """A non-default index: string labels in descending order."""
    return pd.Index([f"lead-{n - i:04d}" for i in range(n)])


def _series(values: Sequence[object], dtype: str | None = "str") -> pd.Series:
    return pd.Series(list(values), index=_index(len(values)), dtype=dtype)


def _plain(values: pd.Series) -> list[object]:
    """Values as Python objects, NA as None, for comparison with a table."""
    return [None if pd.isna(v) else v for v in values.tolist()]


def _run(
    fn: Callable[..., pd.Series],
    inputs: Sequence[pd.Series],
    vocabulary: Sequence[str] | None,
    dtype: str,
) -> pd.Series:
    """Call fn and check the contract every feature function shares."""
    before = [s.copy(deep=True) for s in inputs]
    out = fn(*inputs)
    for s, b in zip(inputs, before, strict=True):
        pd.testing.assert_series_equal(s, b)  # inputs are not modified
    assert out.index.equals(inputs[0].index)
    assert str(out.dtype) == dtype
    if vocabulary is not None:
        assert set(out.tolist()) <= set(vocabulary), set(out.tolist()) - set(vocabulary)
    return out


def _assert_table(rows: Sequence[tuple], got: pd.Series) -> None:
    """Compare the last column of a table with the output, reporting every mismatch."""
    wrong = [(row[:-1], g, row[-1]) for row, g in zip(rows, _plain(got), strict=True) if g != row[-1]]
    assert not wrong, "\n".join(f"{inp!r}: got {g!r}, expected {e!r}" for inp, g, e in wrong)


SENIORITY = [
    ("VP of IT", "vp"),
    ("V.P. Marketing", "vp"),
    ("SVP Engineering", "vp"),
    ("EVP, Technology", "vp"),
    ("Vice President, Operations", "vp"),
    ("Vice-President Sales", "vp"),
    ("Chief Financial Officer", "c_level"),
    ("CFO", "c_level"),
    ("CEO", "c_level"),
    ("c.e.o.", "c_level"),
    ("Chief Information Security Officer", "c_level"),
    ("EVP & CFO", "c_level"),
    ("Co-founder & CEO", "c_level"),
    ("President", "c_level"),
    ("Managing Director", "c_level"),
    ("General Manager", "c_level"),
    ("Executive Director", "c_level"),
    ("Chairman of the Board", "c_level"),
    ("Managing Partner", "c_level"),
    ("Directeur Général", "c_level"),
    ("Président-Directeur Général", "c_level"),
    ("PDG", "c_level"),
    ("Geschäftsführer", "c_level"),
    ("Geschäftsführerin", "c_level"),
    ("Vorstandsvorsitzender", "c_level"),
    ("Gerente General", "c_level"),
    ("Director General", "c_level"),
    ("Amministratore Delegato", "c_level"),
    ("Генеральный директор", "c_level"),
    ("IT Director", "director"),
    ("Dir. Sales", "director"),
    ("Sr. Director Engineering", "director"),
    ("Director of Student Services", "director"),
    ("Directeur Commercial", "director"),
    ("Directora de Recursos Humanos", "director"),
    ("Prokurist", "director"),
    ("Head of Operations", "head"),
    ("Head of IT", "head"),
    ("Abteilungsleiter Einkauf", "head"),
    ("Leiter IT", "head"),
    ("Jefe de Compras", "head"),
    ("Chief Architect", "head"),
    ("General Counsel", "head"),
    ("Sr. Mgr, Procurement", "manager"),
    ("Manager", "manager"),
    ("IT Manager", "manager"),
    ("Mgr. IT Infrastructure", "manager"),
    ("Team Lead, Data", "manager"),
    ("Teamleiter Vertrieb", "manager"),
    ("Gerente de Ventas", "manager"),
    ("Chef de projet", "manager"),
    ("Responsable Achats", "manager"),
    ("Student Success Manager", "manager"),
    ("Senior Engineer", "senior_ic"),
    ("Lead Developer", "senior_ic"),
    ("Principal Engineer", "senior_ic"),
    ("Staff Engineer", "senior_ic"),
    ("Analyst", "individual"),
    ("Coordinator", "entry"),
    ("Engineer", "individual"),
    ("Junior Analyst", "entry"),
    ("Staff Accountant", "individual"),
    ("Nurse", "individual"),
    ("Ingénieur", "individual"),
    ("Assistant to the CEO", "entry"),
    ("Executive Assistant", "entry"),
    ("Product Owner", "individual"),
    ("Lead Generation Specialist", "individual"),
    ("Owner", "owner"),
    ("Founder", "owner"),
    ("Co-Founder", "owner"),
    ("Proprietor", "owner"),
    ("Owner/Operator", "owner"),
    ("Self-employed", "owner"),
    ("Partner", "owner"),
    ("Inhaber", "owner"),
    ("Dueño", "owner"),
    ("Fundadora", "owner"),
    ("Student", "student"),
    ("student", "student"),
    ("PhD student", "student"),
    ("MBA Candidate", "student"),
    ("Intern", "student"),
    ("Marketing Intern", "student"),
    ("Trainee", "student"),
    ("Werkstudent", "student"),
    ("Praktikantin", "student"),
    ("Stagiaire", "student"),
    ("Estudiante", "student"),
    ("Retired", "other"),
    ("Unemployed", "other"),
    ("Retired CEO", "other"),
    ("ex-CEO", "other"),
    ("n/a", "other"),
    ("N/A", "other"),
    ("-", "other"),
    (".", "other"),
    ("none", "other"),
    ("test", "other"),
    ("asdf", "other"),
    ("x", "other"),
    ("12345", "other"),
    ("0", "other"),
    ("", "unknown"),
    ("   ", "unknown"),
    ("\t", "unknown"),
    (None, "unknown"),
    (NA, "unknown"),
]

FUNCTION = [
    ("VP of IT", "it"),
    ("IT Director", "it"),
    ("I.T. Manager", "it"),
    ("CIO", "it"),
    ("Chief Information Officer", "it"),
    ("CTO", "it"),
    ("Chief Information Security Officer", "it"),
    ("Systems Administrator", "it"),
    ("Data Analyst", "it"),
    ("Jefe de Sistemas", "it"),
    ("Software Engineer", "engineering"),
    ("Lead Developer", "engineering"),
    ("SVP Engineering", "engineering"),
    ("Head of R&D", "engineering"),
    ("Product Manager", "engineering"),
    ("Ingénieur", "engineering"),
    ("Chief Financial Officer", "finance"),
    ("CFO", "finance"),
    ("Accountant", "finance"),
    ("Accounts Payable Clerk", "finance"),
    ("Financial Controller", "finance"),
    ("Leiter Rechnungswesen", "finance"),
    ("Sr. Mgr, Procurement", "procurement"),
    ("Buyer", "procurement"),
    ("Purchasing Manager", "procurement"),
    ("Einkäufer", "procurement"),
    ("Jefe de Compras", "procurement"),
    ("Responsable Achats", "procurement"),
    ("Head of Operations", "operations"),
    ("COO", "operations"),
    ("Logistics Coordinator", "operations"),
    ("Office Manager", "operations"),
    ("Executive Assistant", "operations"),
    ("Customer Service Rep", "operations"),
    ("VP Marketing", "marketing"),
    ("CMO", "marketing"),
    ("Marketing Intern", "marketing"),
    ("Brand Manager", "marketing"),
    ("Lead Generation Specialist", "marketing"),
    ("VP Sales", "sales"),
    ("Dir. Sales", "sales"),
    ("Sales Engineer", "sales"),
    ("Account Executive", "sales"),
    ("Key Account Manager", "sales"),
    ("Business Development Manager", "sales"),
    ("Vertriebsleiter", "sales"),
    ("Directeur Commercial", "sales"),
    ("Gerente de Ventas", "sales"),
    ("HR Business Partner", "hr"),
    ("Talent Acquisition Specialist", "hr"),
    ("CHRO", "hr"),
    ("Directora de Recursos Humanos", "hr"),
    ("Personalleiterin", "hr"),
    ("General Counsel", "legal"),
    ("Paralegal", "legal"),
    ("Compliance Officer", "legal"),
    ("Rechtsanwältin", "legal"),
    ("Teacher", "education"),
    ("Professor of Marketing", "education"),
    ("Lehrerin", "education"),
    ("Student", "education"),
    ("PhD student", "education"),
    ("CEO", "executive"),
    ("Owner", "executive"),
    ("Co-founder", "executive"),
    ("Managing Director", "executive"),
    ("Geschäftsführer", "executive"),
    ("Directeur Général", "executive"),
    ("Gerente General", "executive"),
    ("Analyst", "other"),
    ("Consultant", "other"),
    ("Manager", "other"),
    ("Retired", "other"),
    ("n/a", "other"),
    ("12345", "other"),
    ("", "unknown"),
    ("  ", "unknown"),
    (None, "unknown"),
    (NA, "unknown"),
]


def test_title_seniority_table() -> None:
    titles = _series([t for t, _ in SENIORITY], dtype=None)
    got = _run(contact.title_seniority, [titles], contact.SENIORITY_LEVELS, "str")
    _assert_table(SENIORITY, got)


def test_title_function_table() -> None:
    titles = _series([t for t, _ in FUNCTION], dtype=None)
    got = _run(contact.title_function, [titles], contact.FUNCTIONS, "str")
    _assert_table(FUNCTION, got)


def test_is_decision_maker_follows_seniority() -> None:
    titles = _series([t for t, _ in SENIORITY])
    got = _run(contact.is_decision_maker, [titles], None, "bool")
    expected = [level in {"c_level", "vp", "director", "head", "owner"} for _, level in SENIORITY]
    assert got.tolist() == expected
    assert got.sum() > 40 and (~got).sum() > 40  # the table exercises both answers


def test_titles_accept_numbers_and_other_dtypes() -> None:
    mixed = _series([12345, 3.5, None, "CEO", True], dtype="object")
    assert _plain(contact.title_seniority(mixed)) == ["other", "other", "unknown", "c_level", "individual"]
    numbers = _series([1.0, NA], dtype="float64")
    assert _plain(contact.title_function(numbers)) == ["other", "unknown"]
    category = _series(["VP Sales", "Intern", "VP Sales"], dtype="category")
    assert _plain(contact.title_seniority(category)) == ["vp", "student", "vp"]


EMAIL_KIND = [
    ("john@acme.com", "acme.com", "company_match"),
    ("JOHN.SMITH@ACME.COM ", "https://www.Acme.com/about", "company_match"),
    ("john@eu.mail.acme.com", "acme.com", "company_match"),
    ("Jane Doe <jane@acme.com>", "acme.com", "company_match"),
    ("mailto:jane@acme.com", "www.acme.com", "company_match"),
    ("jörg@müller.de", "müller.de", "company_match"),
    ("bob@other.org", "acme.com", "company_other"),
    ("bob@acme.com", None, "company_other"),
    ("bob@acme.co.uk", "acme.com", "company_other"),
    ("bob@notacme.com", "acme.com", "company_other"),
    ("jane@gmail.com", "acme.com", "personal"),
    ("jane@gmail.com", "gmail.com", "personal"),
    ("x@googlemail.com", None, "personal"),
    ("x@yahoo.co.uk", None, "personal"),
    ("x@hotmail.fr", None, "personal"),
    ("x@outlook.de", None, "personal"),
    ("x@live.com", None, "personal"),
    ("x@icloud.com", None, "personal"),
    ("x@me.com", None, "personal"),
    ("x@gmx.net", None, "personal"),
    ("x@web.de", None, "personal"),
    ("x@mail.ru", None, "personal"),
    ("x@yandex.ru", None, "personal"),
    ("x@protonmail.com", None, "personal"),
    ("x@proton.me", None, "personal"),
    ("x@qq.com", None, "personal"),
    ("x@163.com", None, "personal"),
    ("x@liveperson.com", "liveperson.com", "company_match"),
    ("notanemail", "acme.com", "invalid"),
    ("john@", "acme.com", "invalid"),
    ("@acme.com", "acme.com", "invalid"),
    ("john@acme", "acme.com", "invalid"),
    ("john@@acme.com", "acme.com", "invalid"),
    ("a@b@acme.com", "acme.com", "invalid"),
    ("jo..hn@acme.com", "acme.com", "invalid"),
    ("john smith@acme.com", "acme.com", "invalid"),
    ("test@acme.com", "acme.com", "invalid"),
    ("noreply@acme.com", "acme.com", "invalid"),
    ("someone@example.com", None, "invalid"),
    ("x@mailinator.com", None, "invalid"),
    ("x@acme.test", None, "invalid"),
    ("12345", None, "invalid"),
    ("n/a", None, "invalid"),
    ("", "acme.com", "missing"),
    ("   ", "acme.com", "missing"),
    (None, "acme.com", "missing"),
    (NA, None, "missing"),
]


def test_email_kind_table() -> None:
    email = _series([e for e, _, _ in EMAIL_KIND])
    domain = _series([d for _, d, _ in EMAIL_KIND])
    got = _run(contact.email_kind, [email, domain], contact.EMAIL_KINDS, "str")
    _assert_table(EMAIL_KIND, got)


def test_email_kind_aligns_company_domain_by_label() -> None:
    email = _series(["a@acme.com", "b@other.org"])
    domain = pd.Series(["other.org", "acme.com"], index=email.index[::-1])
    assert _plain(contact.email_kind(email, domain)) == ["company_match", "company_match"]


EMAIL_DOMAIN = [
    ("john@acme.com", "acme.com"),
    (" JOHN@Mail.ACME.com ", "mail.acme.com"),
    ("Jane <jane@acme.co.uk>", "acme.co.uk"),
    ("jörg@müller.de", "müller.de"),
    ("john@acme.com.", "acme.com"),
    ("test@acme.com", "acme.com"),
    ("john@acme", None),
    ("john@", None),
    ("@acme.com", None),
    ("acme.com", None),
    ("a@b@acme.com", None),
    ("john@192.168.0.1", None),
    ("", None),
    ("  ", None),
    (None, None),
    (NA, None),
]


def test_email_domain_table() -> None:
    email = _series([e for e, _ in EMAIL_DOMAIN])
    got = _run(contact.email_domain, [email], None, "str")
    _assert_table(EMAIL_DOMAIN, got)


NORMALIZE_DOMAIN = [
    ("https://www.Acme.com/about", "acme.com"),
    ("http://acme.com:8080/x?y=1", "acme.com"),
    ("WWW.ACME.COM", "acme.com"),
    ("www2.acme.de", "acme.de"),
    ("acme.com.", "acme.com"),
    (" acme.com ", "acme.com"),
    ("//cdn.acme.io/lib.js", "cdn.acme.io"),
    ("eu.acme.co.uk", "eu.acme.co.uk"),
    ("john@acme.com", "acme.com"),
    ("müller.de", "müller.de"),
    ("acme", None),
    ("Acme Inc", None),
    ("acme .com", None),
    ("192.168.0.1", None),
    ("n/a", None),
    ("-", None),
    ("", None),
    (None, None),
    (NA, None),
]


def test_normalize_domain_table() -> None:
    domain = _series([d for d, _ in NORMALIZE_DOMAIN])
    got = _run(contact.normalize_domain, [domain], None, "str")
    _assert_table(NORMALIZE_DOMAIN, got)


ACCOUNT_KEY = [
    ("https://www.Acme.com/about", "Acme Inc.", "john@acme.com", "d:acme.com"),
    ("acme.com", None, "jane@gmail.com", "d:acme.com"),
    ("eu.acme.co.uk", None, None, "d:acme.co.uk"),
    ("acme.myshopify.com", "Acme", None, "d:acme.myshopify.com"),
    (None, "Acme Inc.", "john@mail.acme.com", "d:acme.com"),
    ("gmail.com", "Acme GmbH", "jane@gmail.com", "n:acme"),
    (None, "Acme Inc.", "jane@gmail.com", "n:acme"),
    (None, "ACME, Inc", None, "n:acme"),
    (None, "The Acme Company", "", "n:acme"),
    (None, "Acme GmbH & Co. KG", None, "n:acme"),
    (None, "Acme S.A. de C.V.", None, "n:acme"),
    (None, "Acme Sp. z o.o.", "bad-address", "n:acme"),
    (None, "Müller GmbH", None, "n:muller"),
    (None, "Société Générale S.A.", None, "n:societe generale"),
    (None, "Acme Holdings Ltd", None, "n:acme holdings"),
    (None, "Acme", "x@example.com", "n:acme"),
    (None, "n/a", "x@gmail.com", None),
    (None, "Self-employed", None, None),
    (None, "Inc.", None, None),
    (None, "12345", None, None),
    ("not a domain", "  ", None, None),
    (None, None, None, None),
]


def test_account_key_table() -> None:
    domain = _series([d for d, _, _, _ in ACCOUNT_KEY])
    company = _series([c for _, c, _, _ in ACCOUNT_KEY])
    email = _series([e for _, _, e, _ in ACCOUNT_KEY])
    got = _run(contact.account_key, [domain, company, email], None, "str")
    _assert_table(ACCOUNT_KEY, got)
    keys = got.dropna()
    assert keys.str.match(r"^(d|n):").all()  # kinds are prefixed, so a name never collides with a domain


JUNK_NAME = [
    ("John", "Smith", False),
    ("Mary-Jane", "Van der Berg", False),
    ("Jörg", "Müller", False),
    ("Seán", "O'Brien", False),
    ("Li", "Li", False),
    ("J.", "Smith", False),
    ("John", "D.", False),
    ("Zoë", None, False),
    (None, "Nguyen", False),
    ("李", "伟", False),
    (None, None, False),
    ("", "  ", False),
    ("test", "test", True),
    ("Test", "User", True),
    ("asdf", "asdf", True),
    ("qwerty", "Jones", True),
    ("xxx", "yyy", True),
    ("none", "none", True),
    ("n/a", "n/a", True),
    ("N/A", None, True),
    ("Mickey", "Mouse", True),
    ("Donald", "Duck", True),
    ("John", "Doe", True),
    ("a", "a", True),
    ("J", None, True),
    ("J.", "S.", True),
    ("x", "x", True),
    ("John2", "Smith", True),
    ("123", "456", True),
    ("Sdfgh", "Brown", True),
    ("Brian", "Brian", True),
    ("john@acme.com", None, True),
    (".", "-", True),
]


def test_is_junk_name_table() -> None:
    first = _series([f for f, _, _ in JUNK_NAME])
    last = _series([x for _, x, _ in JUNK_NAME])
    got = _run(contact.is_junk_name, [first, last], None, "bool")
    _assert_table(JUNK_NAME, got)


HAS_VALUE = [
    ("John", True),
    (" x ", True),
    ("0", True),
    ("n/a", True),
    ("Zoë", True),
    ("", False),
    ("   ", False),
    ("\t\n", False),
    (None, False),
    (NA, False),
]


def test_has_value_table() -> None:
    values = _series([v for v, _ in HAS_VALUE])
    got = _run(contact.has_value, [values], None, "bool")
    _assert_table(HAS_VALUE, got)
    numbers = _series([0.0, NA, 7.0], dtype="float64")
    assert contact.has_value(numbers).tolist() == [True, False, True]


PHONE = [
    ("+1 (415) 555-2671", "ok"),
    ("+44 20 7946 0958", "ok"),
    ("12-34", "invalid"),
    ("+49 30 9018 2000", "ok"),
    ("0049 30 9018 2000", "ok"),
    ("(415) 867-5309 ext. 12", "ok"),
    ("415.867.5309", "ok"),
    ("4158675309.0", "ok"),
    ("123", "invalid"),
    ("0000000", "invalid"),
    ("000-000-0000", "invalid"),
    ("1234567", "invalid"),
    ("+1 123 456 7890", "invalid"),
    ("9876543210", "invalid"),
    ("(555) 555-5555", "invalid"),
    ("555-0123", "invalid"),
    ("4.15867E+09", "invalid"),
    ("call me", "invalid"),
    ("n/a", "invalid"),
    ("1234567890123456789", "invalid"),
    ("", "missing"),
    ("  ", "missing"),
    (None, "missing"),
    (NA, "missing"),
]


def test_phone_quality_table() -> None:
    phone = _series([p for p, _ in PHONE])
    got = _run(contact.phone_quality, [phone], contact.PHONE_QUALITIES, "str")
    _assert_table(PHONE, got)


def test_phone_quality_numeric_column() -> None:
    phone = _series([4158675309.0, NA, 123.0], dtype="float64")
    assert _plain(contact.phone_quality(phone)) == ["ok", "missing", "invalid"]


SIZE = [
    (1, "1-9"),
    (9, "1-9"),
    (10, "10-49"),
    (49, "10-49"),
    (49.9, "10-49"),
    (50, "50-199"),
    (199, "50-199"),
    (200, "200-999"),
    (999, "200-999"),
    (1000, "1000-4999"),
    (4999, "1000-4999"),
    (5000, "5000+"),
    (250_000, "5000+"),
    (0, "unknown"),
    (-5, "unknown"),
    (NA, "unknown"),
]


def test_size_band_table() -> None:
    employees = _series([e for e, _ in SIZE], dtype="float64")
    got = _run(contact.size_band, [employees], contact.SIZE_BANDS, "str")
    _assert_table(SIZE, got)


SIZE_TEXT = [
    ("75", "50-199"),
    (" 1,200 ", "1000-4999"),
    ("1.000.000", "unknown"),
    ("51-200", "50-199"),
    ("1001 - 5000", "1000-4999"),
    ("5000+", "5000+"),
    ("10,001+", "5000+"),
    ("2k", "1000-4999"),
    ("-3", "unknown"),
    ("many", "unknown"),
    ("", "unknown"),
    (None, "unknown"),
]


def test_size_band_from_text_and_integer_columns() -> None:
    text = _series([e for e, _ in SIZE_TEXT])
    got = _run(contact.size_band, [text], contact.SIZE_BANDS, "str")
    _assert_table(SIZE_TEXT, got)
    integers = _series([3, None, 7000], dtype="Int64")
    assert _plain(contact.size_band(integers)) == ["1-9", "unknown", "5000+"]


def test_vocabularies_are_closed_and_fixed() -> None:
    assert len(set(contact.SENIORITY_LEVELS)) == 12 and "unknown" in contact.SENIORITY_LEVELS
    assert len(set(contact.FUNCTIONS)) == 13 and "unknown" in contact.FUNCTIONS
    assert contact.EMAIL_KINDS == ("company_match", "company_other", "personal", "invalid", "missing")
    assert contact.SIZE_BANDS[-1] == "unknown"
    assert {"gmail.com", "yahoo.com", "web.de", "qq.com"} <= contact.FREE_MAIL_DOMAINS


_TEXT = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=30),
    st.sampled_from(["VP of IT", "Geschäftsführer", "a@b.co", "+1 555 0100", "n/a", "  ", "12,000"]),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_TEXT, max_size=12))
def test_any_text_stays_in_the_vocabularies(values: list[str | None]) -> None:
    s = _series(values, dtype="object")
    for fn, vocabulary in (
        (contact.title_seniority, contact.SENIORITY_LEVELS),
        (contact.title_function, contact.FUNCTIONS),
        (contact.phone_quality, contact.PHONE_QUALITIES),
        (contact.size_band, contact.SIZE_BANDS),
    ):
        _run(fn, [s], vocabulary, "str")
    _run(contact.email_kind, [s, s], contact.EMAIL_KINDS, "str")
    for fn in (contact.is_decision_maker, contact.has_value):
        _run(fn, [s], None, "bool")
    _run(contact.is_junk_name, [s, s], None, "bool")
    keys = _run(contact.account_key, [s, s, s], None, "str").dropna()
    assert keys.str.match(r"^(d|n):.").all()


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n: int) -> None:
    s = _series(["CEO"] * n)
    assert contact.title_seniority(s).tolist() == ["c_level"] * n
    assert contact.email_kind(s, s).tolist() == ["invalid"] * n
    assert contact.is_junk_name(s, _series(["Smith"] * n)).tolist() == [False] * n
    assert contact.size_band(s).tolist() == ["unknown"] * n



_DOMAIN_CELLS = [
    "Acme.com", "https://www.Acme.com/about", "//acme.com", "www2.acme.co.uk", "acme.com.", "a@acme.com",
    "acme.com:8080", "acme.com?x=1", "acme.com#top", "acme.com\\x", " WWW.acme.com ", "www.", "...", "wwwacme.com",
    "acme.com/x\ny", "müller.de", "",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(_DOMAIN_CELLS), st.text(alphabet="aw.:/?#\\@ 0\n", max_size=12)),
                max_size=30))
def test_domains_are_rewritten_only_where_a_rewrite_changes_them(values: list[str | None]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from leadsift.features.contact.email import _DOMAIN, _bare_host, _clean_domain

    arr = pa.array(values, type=pa.large_string())
    every = _bare_host(pc.utf8_trim_whitespace(pc.utf8_lower(arr)))  # the rewrites on every cell
    want = pc.if_else(pc.match_substring_regex(every, _DOMAIN), every, pa.scalar(None, pa.large_string()))
    assert _clean_domain(arr).equals(want)


_REGISTRABLE_LABELS = ["acme", "eu", "co", "com", "uk", "de", "myshopify", "carrd", "github", "io", "x-y", "müller", ""]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(_REGISTRABLE_LABELS), max_size=5).map(".".join)),
                max_size=30))
def test_registrable_patterns_run_only_where_they_can_shorten(values: list[str | None]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from leadsift.features.contact.accounts import _SECOND_LEVELS, _SHARED_HOSTS, _registrable
    from leadsift.features.text import literals

    arr = pa.array(values, type=pa.large_string())
    patterns = (
        r"(?P<d>[^.]+\.(?:" + literals(_SHARED_HOSTS) + r"))$",
        r"(?P<d>[^.]+\.(?:" + "|".join(_SECOND_LEVELS) + r")\.[a-z]{2})$",
        r"(?P<d>[^.]+\.[^.]+)$",
    )
    every = pc.coalesce(*(pc.struct_field(pc.extract_regex(arr, p), [0]) for p in patterns), arr)  # on every cell
    assert _registrable(arr).equals(every)


def test_normalized_company_domains_given_once_change_nothing() -> None:
    domain = _series([d for d, _, _, _ in ACCOUNT_KEY])
    company = _series([c for _, c, _, _ in ACCOUNT_KEY])
    email = _series([e for _, _, e, _ in ACCOUNT_KEY])
    normalized = contact.normalized_domains(domain)
    codes, accounts = contact.account_codes(domain, company, email)
    given_codes, given_accounts = contact.account_codes(domain, company, email, normalized)
    np.testing.assert_array_equal(given_codes, codes)
    assert given_accounts.equals(accounts)
    pd.testing.assert_series_equal(contact.email_kind(email, domain, normalized), contact.email_kind(email, domain))
