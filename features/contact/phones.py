"""Contact phone numbers: whether one looks like a number that can be called.

- phone_quality: 7-15 digits (an extension and a leading 00 are ignored) is ok; fewer or more,
  all one digit in the last seven, a 7-digit ascending/descending run, US 555-01xx fictional
  numbers and Excel scientific notation ("4.9151E+12") are invalid; blank is missing.
  Phones are mostly unique and are processed as a whole column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from leadsift.features.text import arrow_text, ascii_digits, blank_mask, label_series, matches, sub

PHONE_QUALITIES = ("ok", "invalid", "missing")

_ASCENDING = "01234567890"
_DIGIT_RUNS = "|".join(
    {_ASCENDING[i:i + 7] for i in range(len(_ASCENDING) - 6)}
    | {_ASCENDING[::-1][i:i + 7] for i in range(len(_ASCENDING) - 6)}
)
_SAME_DIGITS = "|".join(d * 7 for d in "0123456789")


def phone_quality(phone: pd.Series) -> pd.Series:
    """ "missing", "invalid" or "ok" for a contact phone number (values from PHONE_QUALITIES)."""
    raw = arrow_text(phone)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(raw))
    scientific = matches(text, r"^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$")  # Excel ate the digits
    text = sub(text, r"^(\d+)\.0+$", r"\1")  # a phone read as a float
    text = sub(text, r"\s*(?:ext|extension|x|#|poste|durchwahl|dw)\.?\s*\d{1,6}$", "")
    digits = sub(ascii_digits(text), r"^00", "")
    n = pc.utf8_length(digits).fill_null(0).to_numpy(zero_copy_only=False)
    bad = (
        scientific | (n < 7) | (n > 15)
        | matches(digits, f"(?:{_SAME_DIGITS})$") | matches(digits, _DIGIT_RUNS)
        | matches(digits, r"55501\d\d$")
    )
    quality = np.select([blank_mask(raw), bad], [PHONE_QUALITIES.index("missing"), PHONE_QUALITIES.index("invalid")],
                        default=PHONE_QUALITIES.index("ok"))
    return label_series(quality, PHONE_QUALITIES, phone.index)
