"""Contact names: placeholders and made-up names.

- is_junk_name: an initial beside a real name ("J. Smith") is fine; names that are only
  initials ("J", "A A"), contain digits, e-mail/URL bits, placeholder words, keyboard mashes,
  famous fake pairs (`JUNK_NAME_PAIRS`), or repeat the same 3+ letter word as first and last
  name are junk. Missing names are not junk (`leadsift.features.text.has_value` tells them).
- It takes the index of `first_name`; `last_name` is used as it is when its index is equal,
  else aligned to it by label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadsift.features.text import (
    MASHED,
    aligned,
    blank_mask,
    join,
    matches,
    padded_words,
    take,
    take_text,
    uniques,
    whole_phrase,
)

_JUNK_NAME_WORDS = whole_phrase(
    "test", "tester", "testing", "testuser", "asdf", "asd", "qwerty", "qwertz", "azerty", "xxx", "xx", "x x",
    "none", "null", "nil", "n a", "nan", "unknown", "unbekannt", "anonymous", "anon", "anonym", "noname",
    "no name", "fake", "dummy", "example", "demo", "blah", "bla", "foobar", "abc", "abcd", "xyz", "aaa", "mr",
    "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "name", "first", "last", "firstname", "lastname",
    "first name", "last name", "fname", "lname", "vorname", "nachname", "prenom", "nombre", "apellido",
    "user", "admin", "administrator", "customer", "client", "nobody", "someone", "somebody", "me", "myself",
    "private", "privat", "hello", "fulano", "mengano", "sutano", "batman", "superman", "spiderman", "nope",
    "nothing", "idk", "your name", "yourname",
)
JUNK_NAME_PAIRS: frozenset[tuple[str, str]] = frozenset({
    ("mickey", "mouse"), ("minnie", "mouse"), ("donald", "duck"), ("daisy", "duck"), ("john", "doe"),
    ("jane", "doe"), ("joe", "bloggs"), ("joe", "blow"), ("john", "q public"), ("max", "mustermann"),
    ("erika", "mustermann"), ("maria", "mustermann"), ("hans", "muster"), ("homer", "simpson"),
    ("bart", "simpson"), ("bugs", "bunny"), ("santa", "claus"), ("darth", "vader"), ("harry", "potter"),
    ("james", "bond"), ("luke", "skywalker"), ("first", "last"), ("test", "user"), ("no", "name"),
    ("your", "name"), ("fulano", "de tal"),
})
_JUNK_FULL_NAMES = whole_phrase(*(f"{first} {last}" for first, last in sorted(JUNK_NAME_PAIRS)))
_NAME_SHAPE = (
    r"\d|@|http|www\."                                   # digits, e-mail or URL bits
    + "|" + MASHED                                       # keyboard mashes, a letter three times
    + r"| [b-df-hj-np-tv-xz]{4,} "                       # a 4+ letter word without vowels
)


def _name_parts(name: pd.Series) -> tuple[np.ndarray, pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Codes, normalized unique names, and per unique: blank, junk, only initials."""
    codes, values = uniques(name)
    words = padded_words(values, join_initials=False)
    raw = pc.utf8_lower(values)
    blank = blank_mask(values)
    junk = (
        matches(raw, _NAME_SHAPE) | matches(words, _NAME_SHAPE) | matches(words, _JUNK_NAME_WORDS)
        | matches(words, _JUNK_FULL_NAMES) | matches(words, r"^[^\p{L}]*$")
    ) & ~blank
    initials = matches(words, r"^ [a-z](?: [a-z])* $")  # Latin initials; "李" is a whole name
    return codes, words, blank, junk, initials


def is_junk_name(first_name: pd.Series, last_name: pd.Series) -> pd.Series:
    """True when the contact's name is a placeholder or made up; missing names are not junk."""
    f_codes, f_words, f_blank, f_junk, f_init = _name_parts(first_name)
    l_codes, l_words, l_blank, l_junk, l_init = _name_parts(aligned(last_name, first_name.index))
    f_has = ~take(f_blank, f_codes, True)
    l_has = ~take(l_blank, l_codes, True)
    junk = take(f_junk, f_codes, False) | take(l_junk, l_codes, False)
    only_initials = (
        (f_has | l_has)
        & (~f_has | take(f_init, f_codes, False))
        & (~l_has | take(l_init, l_codes, False))
    )
    # the same word (3+ letters) as first and last name, or a famous fake pair
    f_rows, l_rows = take_text(f_words, f_codes), take_text(l_words, l_codes)
    long_enough = pc.greater_equal(pc.utf8_length(f_rows), 5)  # padded: " ali "
    same = pc.and_(pc.equal(f_rows, l_rows), long_enough).fill_null(False).to_numpy(zero_copy_only=False)
    pairs = pa.array([f" {first} | {last} " for first, last in sorted(JUNK_NAME_PAIRS)], type=pa.large_string())
    fake = pc.is_in(join(f_rows, pa.scalar("|", pa.large_string()), l_rows), value_set=pairs)
    fake = fake.fill_null(False).to_numpy(zero_copy_only=False)
    return pd.Series(junk | only_initials | same | fake, index=first_name.index, dtype=bool)
