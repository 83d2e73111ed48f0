"""Values as text: whether there is a number to print, numbers in sentences, anything escaped for HTML.

The HTML tables have their own cell formats (`html.py`: fixed decimals, "–" where there is no
number); these are the sentence forms ("18%", "1.2 million", "n/a") shared by the summary and the
report's prose.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd


def esc(value: object) -> str:
    """`value` as text safe inside HTML, attribute values included."""
    return escape(str(value), quote=True)


def finite(x: object) -> bool:
    """True for a value `float()` reads as a finite number; False for None, pd.NA, NaN, inf and anything else."""
    try:
        return x is not None and x is not pd.NA and math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def pct(x: float, digits: int | None = None) -> str:
    """18% / 0.4% / 'n/a'; with `digits`, always that many decimals (the historical average: 19.7%, as the tables)."""
    if not finite(x):
        return "n/a"
    value = 100.0 * x
    if digits is not None:
        return f"{value:.{digits}f}%"
    if value != 0 and abs(value) < 9.95:
        return f"{value:.1f}%"
    return f"{value:.0f}%"


def amount(x: float) -> str:
    """A money or count figure for prose: 1.2 million, 95,000, 65."""
    if not finite(x):
        return "n/a"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.1f} million"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def money(x: float, currency: str | None = None) -> str:
    """An amount for prose, with its currency (report.currency) when one is set: "1.2 million EUR"."""
    text = amount(x)
    return f"{text} {currency}" if currency and finite(x) else text
