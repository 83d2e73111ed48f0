"""Accounts: which company a lead belongs to, from its company domain, e-mail domain or company name.

- account_key: "d:<company domain>", else "d:<e-mail domain>", else "n:<company name>", else NA.
  Free-mail and placeholder domains never make an account (`leadsift.features.contact.email`),
  not even as the company_domain.
- Domains are reduced to the registrable domain ("eu.acme.co.uk" -> "acme.co.uk", but
  "acme.myshopify.com" stays), so subdomain e-mails join their company's account.
- Company names lose punctuation, a leading "the" and legal suffixes (`LEGAL_SUFFIXES`);
  placeholders ("n/a", "self-employed") and names without letters make no key.
- The functions take the index of `company_domain`; `company` and `email` are used as they
  are when their index is equal, else aligned to it by label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features.contact.email import (
    clean_email,
    email_parts,
    is_free_mail,
    is_placeholder_domain,
    normalized_domains,
)
from leadsift.features.text import (
    NULL,
    aligned,
    arrow_text,
    arrow_uniques,
    join,
    literals,
    matches,
    padded_words,
    replace_where,
    str_series,
    sub,
    take,
    take_text,
    whole_phrase,
)

_SECOND_LEVELS = (  # "acme.co.uk": the registrable domain has three labels
    "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "mil", "ltd", "plc", "sch",
    "nhs", "govt", "nic", "gv", "gouv", "gc", "ed", "lg", "res", "nom", "ltda",
)
_SHARED_HOSTS = (  # "acme.myshopify.com": each customer of the host is its own account
    "myshopify.com", "github.io", "gitlab.io", "wixsite.com", "blogspot.com", "wordpress.com", "herokuapp.com",
    "netlify.app", "vercel.app", "squarespace.com", "webflow.io", "azurewebsites.net", "cloudfront.net",
    "appspot.com", "firebaseapp.com", "web.app", "pages.dev", "weebly.com", "godaddysites.com",
    "sharepoint.com", "business.site", "square.site", "carrd.co", "notion.site", "substack.com",
)
LEGAL_SUFFIXES = (
    "inc", "incorporated", "llc", "llp", "lllp", "lp", "pllc", "pc", "ltd", "limited", "plc", "corp",
    "corporation", "co", "company", "cos", "pty", "pte", "pvt", "private", "gmbh", "mbh", "ag", "kg", "kgaa",
    "ohg", "gbr", "ug", "ev", "eg", "se", "sa", "sas", "sasu", "sarl", "eurl", "sca", "sl", "slu", "srl",
    "spa", "sapa", "snc", "bv", "nv", "vof", "ab", "as", "asa", "aps", "oy", "oyj", "hf", "kk", "sdn bhd",
    "bhd", "tbk", "ltda", "sapi", "de cv", "de rl", "ltee", "cie", "sro", "zrt", "kft", "doo", "dd", "sp z oo",
    "and", "com",
)


def _registrable(domain: pa.Array) -> pa.Array:
    """The registrable part of each domain: "eu.acme.co.uk" -> "acme.co.uk"."""
    shared = r"(?P<d>[^.]+\.(?:" + literals(_SHARED_HOSTS) + r"))$"
    second = r"(?P<d>[^.]+\.(?:" + "|".join(_SECOND_LEVELS) + r")\.[a-z]{2})$"
    last_two = r"(?P<d>[^.]+\.[^.]+)$"

    def reduced(few: pa.Array) -> pa.Array:
        parts = [pc.struct_field(pc.extract_regex(few, p), [0]) for p in (shared, second, last_two)]
        return pc.coalesce(*parts, few)

    # A domain of one or two labels is its own registrable part: only longer ones need the patterns.
    longer = pc.greater_equal(pc.count_substring(domain, "."), 2).fill_null(False).to_numpy(zero_copy_only=False)
    return replace_where(domain, longer, reduced)


def _domain_keys(domain: pa.Array) -> pa.Array:
    """ "d:<registrable domain>" for company domains; null for free-mail and placeholder ones."""
    usable = ~is_free_mail(domain) & ~is_placeholder_domain(domain)
    keys = join(pa.scalar("d:", pa.large_string()), _registrable(domain))
    return pc.if_else(pa.array(usable), keys, NULL)


_LEGAL_TAIL = "(?: (?:" + "|".join(LEGAL_SUFFIXES) + "))+ $"
_JUNK_COMPANY = whole_phrase(
    "none", "na", "n a", "nil", "null", "nan", "test", "testing", "asdf", "qwerty", "xxx", "x", "self",
    "self employed", "selfemployed", "freelance", "freelancer", "private", "privat", "individual", "personal",
    "home", "student", "retired", "unemployed", "unknown", "no company", "not applicable", "me", "myself",
    "independent", "various", "other", "company", "my company", "mycompany", "company name", "your company",
    "abc", "xyz", "gmail", "yahoo", "hotmail", "outlook", "nothing", "keine", "aucune", "ninguna",
)


def _name_keys(company: pa.Array) -> pa.Array:
    """ "n:<name>" from company names without punctuation, "the" and legal suffixes; else null."""
    text = padded_words(company, join_initials=True)
    text = sub(text, "^ the ", " ")
    text = sub(text, _LEGAL_TAIL, " ")
    junk = matches(text, _JUNK_COMPANY) | matches(text, r"^[^\p{L}]*$")  # placeholders, no letters
    name = pc.utf8_trim_whitespace(text)
    keys = join(pa.scalar("n:", pa.large_string()), name)
    return pc.if_else(pa.array(~junk), keys, NULL)


def account_key(company_domain: pd.Series, company: pd.Series, email: pd.Series) -> pd.Series:
    """The account a lead belongs to: "d:<company domain>", else "d:<e-mail domain>", else "n:<name>", else NA."""
    codes, accounts = _accounts(company_domain, company, email)
    return str_series(take_text(accounts, codes), company_domain.index)


def account_codes(
    company_domain: pd.Series, company: pd.Series, email: pd.Series,
    normalized: tuple[np.ndarray, pa.Array] | None = None,
) -> tuple[np.ndarray, pd.Index]:
    """`account_key` as a code per row (-1 for NA) into the distinct keys (not in order of appearance).

    Keys are made per distinct domain, e-mail domain and name, and numbered there: cheaper, for a
    large history, than spelling out a key per row and hashing it again. `normalized`:
    `normalized_domains(company_domain)`, when made already.
    """
    codes, accounts = _accounts(company_domain, company, email, normalized)
    return codes, pd.Index(str_series(accounts, pd.RangeIndex(len(accounts))).array)


def _accounts(
    company_domain: pd.Series, company: pd.Series, email: pd.Series,
    normalized: tuple[np.ndarray, pa.Array] | None = None,
) -> tuple[np.ndarray, pa.Array]:
    """Per row a code (-1 for NA) into the distinct account keys, and those keys."""
    index = company_domain.index
    d_codes, d_unique = normalized if normalized is not None else normalized_domains(company_domain)
    candidates = [_domain_keys(d_unique)]
    # Per row, the position of its key among the candidates (-1: none yet). Only leads without a
    # company-domain key need their e-mail parsed, and only those without either key their
    # company name: the other rows' fallbacks would never be used.
    entry = _keyed(candidates[0], d_codes, 0)
    missing = entry < 0
    if missing.any():
        emails = pc.filter(arrow_text(aligned(email, index)), pa.array(missing))
        _, e_codes, e_unique = email_parts(clean_email(emails))
        candidates.append(_domain_keys(e_unique))
        entry[missing] = _keyed(candidates[-1], e_codes, len(candidates[0]))
        missing = entry < 0
    if missing.any():
        n_codes, n_unique = arrow_uniques(pc.filter(arrow_text(aligned(company, index)), pa.array(missing)))
        candidates.append(_name_keys(n_unique))
        entry[missing] = _keyed(candidates[-1], n_codes, sum(len(c) for c in candidates[:-1]))
    candidate_codes, accounts = arrow_uniques(pa.concat_arrays(candidates))
    return take(candidate_codes, entry, -1).astype("int64"), accounts


def _keyed(keys: pa.Array, codes: np.ndarray, offset: int) -> np.ndarray:
    """Per row, `offset` + its code when that code's key is not null, else -1."""
    present = ~keys.is_null().to_numpy(zero_copy_only=False)
    return np.where(take(present, codes, False), codes.astype("int64") + offset, -1)
