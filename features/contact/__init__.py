"""Contact and company features of a lead: who the person is, how reachable, which account.

Every function takes pandas Series of any dtype (NaN, None, blanks and junk included) and
returns a new Series on the same index; inputs are never modified. Categorical outputs are
dtype `str` over a closed vocabulary (SENIORITY_LEVELS, FUNCTIONS, EMAIL_KINDS, ...); flags are dtype bool. Functions of two
or three Series take the index of the first; the others are used as they are when their index
is equal, else aligned to it by label.

One idea per module, importing each other one way only (accounts -> email; all -> `leadsift.features.text`):
`titles` (seniority, function, decision maker), `email` (kind of address, domains), `accounts`
(account keys), `names` (junk names), `phones` (phone quality), `size` (size bands).
"""

from leadsift.features.contact.accounts import LEGAL_SUFFIXES, account_codes, account_key
from leadsift.features.contact.email import (
    EMAIL_KINDS,
    FREE_MAIL_DOMAINS,
    PLACEHOLDER_DOMAINS,
    email_domain,
    email_kind,
    normalize_domain,
    normalized_domains,
)
from leadsift.features.contact.names import JUNK_NAME_PAIRS, is_junk_name
from leadsift.features.contact.phones import PHONE_QUALITIES, phone_quality
from leadsift.features.contact.size import SIZE_BANDS, SIZE_EDGES, size_band
from leadsift.features.contact.titles import (
    DECISION_LEVELS,
    FUNCTIONS,
    SENIORITY_LEVELS,
    is_decision_maker,
    title_function,
    title_seniority,
)
from leadsift.features.text import has_value

__all__ = [
    "DECISION_LEVELS", "EMAIL_KINDS", "FREE_MAIL_DOMAINS", "FUNCTIONS", "JUNK_NAME_PAIRS", "LEGAL_SUFFIXES",
    "PHONE_QUALITIES", "PLACEHOLDER_DOMAINS", "SENIORITY_LEVELS", "SIZE_BANDS", "SIZE_EDGES",
    "account_codes", "account_key", "email_domain", "email_kind", "has_value", "is_decision_maker", "is_junk_name",
    "normalize_domain", "normalized_domains", "phone_quality", "size_band", "title_function", "title_seniority",
]
