"""E-mail addresses and company domains: the kind of address a lead gave, and bare domains.

E-mails are mostly unique and are processed as whole columns; company domains repeat and are
cleaned once per distinct value.

- Free-mail providers (`FREE_MAIL_DOMAINS`, plus the yahoo.*, hotmail.*, outlook.*, live.*,
  gmx.*, yandex.*, proton(mail).* families) are personal even when the lead's
  company_domain is that provider (and such a company_domain never becomes an account,
  `leadsift.features.contact.accounts`).
  Placeholder and disposable domains (example.com, mailinator.com, *.test ...) and
  placeholder mailboxes (test@, noreply@, noemail@ ...) make an e-mail invalid.
- `email_kind` takes the index of `email`; `company_domain` is used as it is when its index
  is equal, else aligned to it by label.

The pyarrow-level helpers (`clean_email`, `email_parts`, `normalized_domains`, `is_free_mail`,
`is_placeholder_domain`) are what the account keys are made from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features.text import (
    NULL,
    aligned,
    arrow_text,
    arrow_uniques,
    blank_mask,
    label_series,
    literals,
    matches,
    replace_where,
    str_series,
    sub,
    sub_where,
    take,
    take_text,
    uniques,
)

EMAIL_KINDS = ("company_match", "company_other", "personal", "invalid", "missing")

FREE_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "passport.com", "windowslive.com", "aol.com", "aim.com", "icloud.com", "me.com",
    "mac.com", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "gmx.us", "web.de", "t-online.de",
    "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "mail.de", "online.de", "mail.ru", "inbox.ru",
    "list.ru", "bk.ru", "rambler.ru", "ya.ru", "yandex.ru", "yandex.com", "protonmail.com", "protonmail.ch",
    "proton.me", "pm.me", "tutanota.com", "tutanota.de", "tuta.io", "zoho.com", "zohomail.com", "zohomail.eu",
    "qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com",
    "foxmail.com", "naver.com", "hanmail.net", "daum.net", "kakao.com", "rediffmail.com", "libero.it",
    "virgilio.it", "tiscali.it", "alice.it", "tin.it", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
    "sfr.fr", "neuf.fr", "bluewin.ch", "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "op.pl",
    "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "ntlworld.com", "blueyonder.co.uk",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "charter.net", "cox.net",
    "earthlink.net", "optonline.net", "frontier.com", "juno.com", "netzero.net", "rogers.com", "shaw.ca",
    "sympatico.ca", "telus.net", "bigpond.com", "optusnet.com.au", "uol.com.br", "bol.com.br", "terra.com.br",
    "mail.com", "email.com", "usa.com", "inbox.com", "fastmail.com", "fastmail.fm", "hushmail.com", "lycos.com",
    "excite.com", "hey.com", "duck.com", "skiff.com",
})
_FREE_MAIL_FAMILIES = (
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "windowslive", "gmx", "yandex",
    "proton", "protonmail", "aol",
)
PLACEHOLDER_DOMAINS: frozenset[str] = frozenset({
    "example.com", "example.org", "example.net", "test.com", "test.de", "testing.com", "domain.com",
    "yourdomain.com", "mydomain.com", "yourcompany.com", "mycompany.com", "company.com", "noemail.com",
    "no-email.com", "nomail.com", "none.com", "asdf.com", "xxx.com", "fake.com", "email.invalid",
    "mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "10minutemail.com", "tempmail.com",
    "temp-mail.org", "trashmail.com", "getnada.com", "dispostable.com", "throwawaymail.com", "maildrop.cc",
    "mintemail.com", "fakeinbox.com", "spamgourmet.com", "mailnesia.com", "mohmal.com", "emailondeck.com",
})
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")

# Byte classes, not \p{L}: RE2 keeps these in its fast DFA. A label character is anything but
# ASCII punctuation, whitespace and controls (so non-ASCII letters pass); "-" only inside a label.
_LABEL_END = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_LABEL_MID = r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_DOMAIN = rf"^(?:{_LABEL_END}(?:{_LABEL_MID}*{_LABEL_END})?\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]+|[^\x00-\x7f]{{2,}})$"
_LOCAL_PART = r"^[^\s@.\"(),:;<>\[\]\\]+(?:\.[^\s@.\"(),:;<>\[\]\\]+)*$"
_JUNK_MAILBOX = (
    r"^(?:test\d*|testing|tester|asdf\p{L}*|qwert\p{L}*|xxx+|none|no[._-]?e?mail|no[._-]?reply"
    r"|do[._-]?not[._-]?reply|null|unknown|example|fake|dummy|spam|nobody|noone)@"
)
_FREE_MAIL = (
    "^(?:" + literals(FREE_MAIL_DOMAINS) + ")$"
    + "|^(?:" + "|".join(_FREE_MAIL_FAMILIES) + r")\.(?:[a-z]{2,3}|(?:co|com|net|org)\.[a-z]{2})$"
)
_PLACEHOLDER = (
    r"(?:^|\.)(?:" + literals(PLACEHOLDER_DOMAINS) + r")$"
    + r"|\.(?:" + "|".join(_RESERVED_TLDS) + r")$"
)


def clean_email(arr: pa.Array) -> pa.Array:
    """Lowercased, trimmed e-mail text; "Name <a@b.com>" and "mailto:" reduced to the address."""
    out = pc.utf8_trim_whitespace(pc.utf8_lower(arr))
    out = sub_where(out, "<", r"^.*<([^<>]*)>.*$", r"\1")
    out = sub_where(out, "mailto:", r"^mailto:", "")
    trailing_dot = pc.ends_with(out, ".").fill_null(False).to_numpy(zero_copy_only=False)
    return pc.utf8_trim_whitespace(replace_where(out, trailing_dot, lambda part: sub(part, r"\.+$", "")))


def email_parts(text: pa.Array) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """Split cleaned e-mail text: the local part, and per row a code into the unique domains
    (-1 unless the text is "something@valid.domain")."""
    # Split at the first "@" (a plain split, no regex). The local part is only looked at for
    # "something@valid.domain", where it is exactly the text before the "@".
    parts = pc.split_pattern(text, "@", max_splits=1)
    local = pc.list_element(parts, 0)
    shape = (
        pc.equal(pc.count_substring(text, "@"), 1).fill_null(False).to_numpy(zero_copy_only=False)
        & pc.greater(pc.utf8_length(local), 0).fill_null(False).to_numpy(zero_copy_only=False)
    )
    shaped_codes, domains = arrow_uniques(pc.list_element(pc.filter(parts, pa.array(shape)), 1))
    codes = np.full(len(text), -1, dtype=shaped_codes.dtype)
    codes[shape] = shaped_codes
    valid = matches(domains, _DOMAIN)
    codes = np.where(take(valid, codes, False), codes, -1)
    return local, codes, domains


def _clean_domain(arr: pa.Array) -> pa.Array:
    """Bare lowercased domains from URLs, hosts or e-mail addresses; null when not a domain."""
    out = pc.utf8_trim_whitespace(pc.utf8_lower(arr))
    # Most cells are bare hosts already: each rewrite of `_bare_host` needs one of these to change anything.
    out = replace_where(out, matches(out, r"[:/?#\\@]|\.$|^www"), _bare_host)
    return pc.if_else(pc.match_substring_regex(out, _DOMAIN), out, NULL)


def _bare_host(out: pa.Array) -> pa.Array:
    """Lowercased text without scheme, path, user, port, trailing dots and "www."."""
    out = sub(out, r"^[a-z][a-z0-9+.-]*://", "")
    out = sub(out, r"^//", "")
    out = sub(out, r"[/?#\\].*$", "")
    out = sub(out, r"^.*@", "")
    out = sub(out, r":\d*$", "")
    out = sub(out, r"\.+$", "")
    return sub(out, r"^www\d*\.", "")


def normalized_domains(domain: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes per row and per-unique normalized domains (null when not a domain)."""
    codes, values = uniques(domain)
    return codes, _clean_domain(values)


def is_free_mail(domain: pa.Array) -> np.ndarray:
    """Bool per normalized domain: a free-mail provider's (personal addresses)."""
    return matches(domain, _FREE_MAIL)


def is_placeholder_domain(domain: pa.Array) -> np.ndarray:
    """Bool per normalized domain: a placeholder, disposable or reserved one (no real address)."""
    return matches(domain, _PLACEHOLDER)


def normalize_domain(domain: pd.Series) -> pd.Series:
    """Lowercased bare domain, or NA ("https://www.Acme.com/about" -> "acme.com")."""
    codes, per_unique = normalized_domains(domain)
    return str_series(take_text(per_unique, codes), domain.index)


def email_domain(email: pd.Series) -> pd.Series:
    """Lowercased domain of an e-mail address, or NA when there is no valid domain."""
    _, codes, domains = email_parts(clean_email(arrow_text(email)))
    return str_series(take_text(domains, codes), email.index)


def email_kind(
    email: pd.Series, company_domain: pd.Series, normalized: tuple[np.ndarray, pa.Array] | None = None
) -> pd.Series:
    """What kind of address a lead gave (values from EMAIL_KINDS).

    `normalized`: `normalized_domains` of `company_domain` on the index of `email`, when made already."""
    raw = arrow_text(email)
    text = clean_email(raw)
    local, codes, domains = email_parts(text)
    plausible = (
        (codes >= 0)
        & matches(local, _LOCAL_PART)
        & ~matches(text, _JUNK_MAILBOX)
        & ~take(is_placeholder_domain(domains), codes, False)
    )
    personal = take(is_free_mail(domains), codes, False)
    d_codes, d_unique = normalized if normalized is not None else normalized_domains(aligned(company_domain, email.index))
    # the e-mail domain or one of its parents ("eu.mail.acme.com" -> "mail.acme.com" -> "acme.com"),
    # compared only where it decides the kind, and on each level only for rows whose e-mail
    # domain still got shorter and had not matched yet
    has_company = take(~d_unique.is_null().to_numpy(zero_copy_only=False), d_codes, False)
    rows = np.flatnonzero(plausible & ~personal & has_company)
    company = pc.take(d_unique, pa.array(d_codes[rows]))
    match = np.zeros(len(codes), dtype=bool)
    parent = domains
    for level in range(5):
        if level:
            shorter = sub(parent, r"^[^.]*\.", "")
            shrunk = pc.not_equal(shorter, parent).fill_null(False).to_numpy(zero_copy_only=False)
            parent = shorter
            still = shrunk[codes[rows]] & ~match[rows]
            rows, company = rows[still], pc.filter(company, pa.array(still))
        same = pc.equal(pc.take(parent, pa.array(codes[rows])), company)
        match[rows] = same.fill_null(False).to_numpy(zero_copy_only=False)
    kind = np.select(
        [blank_mask(raw), ~plausible, personal, match],
        [EMAIL_KINDS.index(k) for k in ("missing", "invalid", "personal", "company_match")],
        default=EMAIL_KINDS.index("company_other"),
    )
    return label_series(kind, EMAIL_KINDS, email.index)
