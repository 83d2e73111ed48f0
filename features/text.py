"""Small text helpers of the features layer: pandas text <-> pyarrow, blanks, RE2 matching, normalized words.

The contact features (`leadsift.features.contact`) do their text work in pyarrow compute (RE2
regexes) on values factorized once per unique (`uniques`, `take`); the data contract, the
feature builder and the history use the pandas-level helpers (`is_blank`, `lowered`, `stripped`,
`arrow_strings`), and the cell parsers run pandas once per distinct cell (`distinct_text`, `per_row`).

Normalized text (`padded_words`): lowercase, accents stripped, dotted abbreviations joined
("V.P." -> "vp"), "&" -> "and", punctuation -> single spaces, padded with one space at each
end (" vp of it "), so that `any_phrase` / `whole_phrase` patterns match whole words.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# --------------------------------------------------------------------------- pandas <-> pyarrow


def arrow_strings(values: pd.api.extensions.ExtensionArray) -> pa.Array:
    """pandas strings as one pyarrow large_string array."""
    arr = pa.array(values)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def arrow_text(s: pd.Series) -> pa.Array:
    """Any Series' values as text (dtype str) in a pyarrow large_string array (NA -> null)."""
    return arrow_strings(s.astype("str").array)


def str_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    """A pyarrow string array as a dtype str Series (null -> NaN)."""
    values = pd.arrays.ArrowStringArray(arr.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return pd.Series(values, index=index)


def label_series(codes: np.ndarray, vocab: tuple[str, ...], index: pd.Index) -> pd.Series:
    """Integer codes into `vocab` as a dtype str Series."""
    labels = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int8()), pa.array(vocab, type=pa.large_string()))
    return str_series(labels.cast(pa.large_string()), index)


def aligned(s: pd.Series, index: pd.Index) -> pd.Series:
    """`s` lined up with `index`: as is when the indexes are equal, else by label."""
    return s if s.index.equals(index) else s.reindex(index)


# --------------------------------------------------------------------------- blanks, lowercase


def blank_mask(arr: pa.Array) -> np.ndarray:
    """Bool per element: null, empty or only whitespace."""
    # No trimmed copy of the text: utf8_is_space takes the same characters for whitespace as
    # utf8_trim_whitespace (checked over every code point).
    blank = pc.or_kleene(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr))
    return blank.fill_null(True).to_numpy(zero_copy_only=False)


def is_blank(s: pd.Series) -> pd.Series:
    """True per row when the value is missing, empty or only whitespace (any dtype; keeps `s`'s name)."""
    return pd.Series(blank_mask(arrow_text(s)), index=s.index, name=s.name)


def has_value(s: pd.Series) -> pd.Series:
    """True when a value is present and not blank after stripping whitespace."""
    return pd.Series(~blank_mask(arrow_text(s)), index=s.index, dtype=bool)


def lowered(s: pd.Series) -> pd.Series:
    """Text stripped of surrounding whitespace and lowercased (dtype str, keeps `s`'s name); NA stays NA."""
    codes, values = uniques(s)  # once per distinct value: these columns repeat a few values
    out = take_text(pc.utf8_lower(pc.utf8_trim_whitespace(values)), codes)
    out = pc.if_else(pa.array(s.isna().to_numpy()), NULL, out)
    return str_series(out, s.index).rename(s.name)


def stripped(s: pd.Series) -> pd.Series:
    """Text without surrounding whitespace (dtype str, keeps `s`'s name); blank cells become NA."""
    arr = arrow_text(s)
    out = pc.if_else(pa.array(blank_mask(arr)), NULL, pc.utf8_trim_whitespace(arr))
    return str_series(out, s.index).rename(s.name)


# --------------------------------------------------------------------------- once per unique value


def uniques(s: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes per row (-1 for NA) and the unique non-NA values as pyarrow strings."""
    return arrow_uniques(arrow_text(s))


def arrow_uniques(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """`uniques` of a pyarrow string array."""
    encoded = pc.dictionary_encode(arr)
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False), encoded.dictionary


def distinct_text(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """`s`'s distinct values as text (a dtype str Series) and per row a code into them, NA included
    (as the last value, when present): a per-row function applied to them gives each row's result as
    `per_distinct[codes]`, even one whose results depend on which values occur (`pd.to_numeric`)."""
    codes, values = uniques(s)
    missing = codes < 0
    if missing.any():
        codes = np.where(missing, len(values), codes)
        values = pa.concat_arrays([values, pa.nulls(1, values.type)])
    return codes, str_series(values, pd.RangeIndex(len(values)))


def per_row(per_distinct: pd.Series, codes: np.ndarray, index: pd.Index, name: object = None) -> pd.Series:
    """Per-row results from results per `distinct_text` value."""
    return pd.Series(per_distinct.to_numpy()[codes], index=index, name=name, dtype=per_distinct.dtype)


def take(per_unique: np.ndarray, codes: np.ndarray, missing: object) -> np.ndarray:
    """Per-row values from per-unique values; NA rows (code -1) get `missing`."""
    return np.append(per_unique, np.asarray([missing], dtype=per_unique.dtype))[codes]


def take_text(per_unique: pa.Array, codes: np.ndarray) -> pa.Array:
    """Per-row strings from per-unique strings; NA rows become null."""
    return pc.take(per_unique, pa.array(codes, mask=codes < 0))


# --------------------------------------------------------------------------- pyarrow string compute

SPACE = pa.scalar(" ", pa.large_string())
NULL = pa.scalar(None, pa.large_string())


def matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Bool per element: the RE2 pattern occurs (null -> False)."""
    return pc.match_substring_regex(arr, pattern).fill_null(False).to_numpy(zero_copy_only=False)


def sub(arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    return pc.replace_substring_regex(arr, pattern=pattern, replacement=replacement)


def ascii_digits(arr: pa.Array) -> pa.Array:
    """Each string with all but its ASCII digits removed (as RE2 removes its non-digits), without a regex."""
    # Filtering bytes is exact on UTF-8: no byte of a multi-byte character is an ASCII digit.
    arr = pc.cast(arr, pa.large_string())
    _, offsets, data = arr.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    chars = np.frombuffer(data, dtype=np.uint8)[ends[0]:ends[-1]] if data is not None else np.empty(0, np.uint8)
    digit = (chars >= ord("0")) & (chars <= ord("9"))
    kept = np.concatenate([[0], np.cumsum(digit)])[ends - ends[0]]
    valid = pc.is_valid(arr).buffers()[1] if arr.null_count else None
    return pa.LargeStringArray.from_buffers(len(arr), pa.py_buffer(kept), pa.py_buffer(chars[digit]), valid)


def join(*parts: pa.Array | pa.Scalar) -> pa.Array:
    """Element-wise concatenation of strings (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))


def replace_where(arr: pa.Array, mask: np.ndarray, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`change` applied only to the elements under `mask` (cheap when few are)."""
    if not mask.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(mask), change(pc.filter(arr, pa.array(mask))))


def sub_where(arr: pa.Array, literal: str, pattern: str, replacement: str) -> pa.Array:
    """`sub` applied only to the elements that contain `literal`."""
    mask = pc.match_substring(arr, literal).fill_null(False).to_numpy(zero_copy_only=False)
    return replace_where(arr, mask, lambda part: sub(part, pattern, replacement))


# --------------------------------------------------------------------------- normalized words

_FOLDS = (("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("ı", "i"), ("þ", "th"))


def _fold(arr: pa.Array) -> pa.Array:
    """Non-ASCII text without accents, ligatures and non-letter symbols ("geschäftsführer" ->
    "geschaftsfuhrer"); expects lowercase."""
    out = sub(pc.utf8_normalize(arr, form="NFKD"), r"\p{Mn}+", "")
    for old, new in _FOLDS:
        out = pc.replace_substring(out, old, new)
    return sub(out, r"[^\p{L}\p{N}.&]+", " ")  # "." and "&" are dealt with below


def padded_words(arr: pa.Array, join_initials: bool) -> pa.Array:
    """Lowercase text as space-padded words without accents or punctuation: " vp of it "."""
    out = pc.utf8_lower(arr)
    out = replace_where(out, ~pc.string_is_ascii(out).fill_null(True).to_numpy(zero_copy_only=False), _fold)
    if join_initials:
        out = sub_where(out, ".", r"\b([a-z])\.", r"\1")  # "v.p." -> "vp", "s.a." -> "sa"
    out = pc.replace_substring(out, "&", " and ")
    out = sub(out, r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+", " ")  # ASCII punctuation, spaces, controls
    return join(SPACE, pc.utf8_trim_whitespace(out), SPACE)


# --------------------------------------------------------------------------- RE2 patterns


def _phrases(alternatives: tuple[str, ...]) -> str:
    # In normalized text a word is a run of non-spaces; "[^ ]" keeps RE2 in its fast DFA
    # where the equivalent \p{L} blows up its state budget.
    return "|".join(alternatives).replace(r"\p{L}", "[^ ]")


def any_phrase(*alternatives: str) -> str:
    """Pattern: one of the phrases as whole words of space-padded normalized text."""
    return " (?:" + _phrases(alternatives) + ") "


def whole_phrase(*alternatives: str) -> str:
    """Pattern: the whole space-padded normalized text is one of the phrases."""
    return "^ (?:" + _phrases(alternatives) + ") $"


def literals(words: frozenset[str] | tuple[str, ...]) -> str:
    """Pattern: one of the words, literally (sorted; "." and "-" escaped)."""
    return "|".join(w.replace(".", r"\.").replace("-", r"\-") for w in sorted(words))


_KEYBOARD_RUNS = (
    "qwer", "rtyu", "tyui", "yuio", "uiop", "asdf", "sdfg", "dfgh", "fghj", "ghjk", "hjkl", "zxcv", "xcvb",
    "cvbn", "vbnm", "azert", "fdsa", "lkjh", "poiu", "mnbv",
)
_TRIPLE_LETTER = "|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz")
MASHED = "|".join(_KEYBOARD_RUNS) + "|" + _TRIPLE_LETTER  # pattern: a keyboard run or a letter three times
