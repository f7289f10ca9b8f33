"""Cross-script text search: names and descriptions folded to plain lower-case Latin.

A feature's ``search`` column holds its eight translations (``name_bg`` …
``description_en``) folded by ``atlas_latin`` (layers/migrations/0005, 0018):
Cyrillic by the Bulgarian Streamlined System, Greek by ELOT 743, accents
dropped, doubled letters single (Larissa, Larisa; digits are kept: 1000). ``?q=`` folds each word
the same way and matches it as a word prefix: "Стара" finds Stara Zagora,
"Larisa" finds Λάρισα, "Stara Zag" finds it too, every word must match.

PostgreSQL fills ``search`` itself (a trigger) for any write that does not
give it. Folding in SQL costs some 40 µs a row, which made it the largest
part of a bulk import, so imports fold in Python (``fold_rows``, about 1 µs a
row) and give the column; tests/layers/test_search.py keeps
the two definitions equal on every letter of the four languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat

import numpy as np

# The columns folded into ``search``, in the order atlas_search_text() joins them.
SEARCH_COLUMNS: tuple[str, ...] = (
    "name_bg", "name_el", "name_fr", "name_en",
    "description_bg", "description_el", "description_fr", "description_en",
)

# The same replacements, in the same order, as atlas_latin(): multi-letter
# transliterations first (none of them overlaps another), then letter by letter.
_REPLACE = (
    ("щ", "sht"), ("ж", "zh"), ("ц", "ts"), ("ч", "ch"), ("ш", "sh"), ("ю", "yu"),
    ("я", "ya"), ("θ", "th"), ("χ", "ch"), ("ψ", "ps"), ("ου", "ou"), ("ού", "ou"),
    ("αυ", "av"), ("ευ", "ev"), ("αύ", "av"), ("εύ", "ev"), ("ξ", "x"), ("ъ", "a"),
    ("ь", "y"), ("й", "y"),
)
_FROM = ("абвгдезиклмнопрстуфхэыёαβγδεζηικλμνοπρσςτυφωάέήίόύώϊϋΐΰàâäáãåçèéêëìíîïñòóôöõùúûüýÿœæ"
         "čďěňřšťůžąćęłńśźżőűășț")
_TO = ("abvgdeziklmnoprstufheyeavgdeziiklmnoprsstyfoaeiioyoiyiyaaaaaaceeeeiiiinooooouuuuyyoa"
       "cdenrstuzacelnszzouast")


@lru_cache(maxsize=1)
def _code_table() -> np.ndarray:
    """_FROM -> _TO as a table of code points, for the code points up to the last of _FROM."""
    table = np.arange(max(map(ord, _FROM)) + 1, dtype=np.uint32)
    table[[ord(c) for c in _FROM]] = [ord(c) for c in _TO]
    return table


LETTERS = "abcdefghijklmnopqrstuvwxyz"
"""The letters a doubled one of which folds to one, in the order atlas_latin() squeezes them."""


def fold_many(texts: Iterable[str]) -> list[str]:
    """``atlas_latin`` of each text (lower-case Latin, no accents, doubled letters single).

    All texts are folded as one string, joined by NUL (which PostgreSQL text
    cannot hold): no step of the fold matches across a character it leaves
    alone, so each comes out as if folded alone. The letter-by-letter step
    runs on the string's code points in NumPy. Then each pair of the same
    letter a–z becomes one, letter after letter, left to right, as
    PostgreSQL's nested ``replace`` calls do ("sss" leaves "ss"); digits and
    other characters are kept (Trust D5: "1000" is not "10").
    """
    # PostgreSQL's lower() maps one character to one (towlower); Python's full
    # case mapping turns İ into i and a combining dot. (Σ at the end of a word
    # becomes ς in Python, σ in PostgreSQL: both fold to s.)
    text = "\0".join(texts).replace("İ", "i").lower()
    for old, new in _REPLACE:
        if old in text:
            text = text.replace(old, new)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _code_table()
    codes = np.where(codes < len(table), table[np.minimum(codes, len(table) - 1)], codes)
    text = codes.tobytes().decode("utf-32-le")
    for letter in LETTERS:
        pair = letter + letter
        if pair in text:
            text = text.replace(pair, letter)
    return text.split("\0")


def fold(text: str) -> str:
    """``atlas_latin(text)``."""
    return fold_many([text])[0] if text else ""


def fold_table() -> dict:
    """The folding rules as data, for the pages' scripts to fold as ``fold`` does.

    ``replace``: the multi-letter replacements, in order; then each letter of
    ``from`` becomes the letter of ``to`` at the same place; then for each letter
    of ``pairs`` in turn, each pair of it becomes one letter.
    """
    return {"replace": [list(pair) for pair in _REPLACE], "from": _FROM, "to": _TO,
            "pairs": LETTERS}


def fold_rows(columns: Mapping[str, Sequence[str | None]], n: int) -> list[str]:
    """The ``search`` text of ``n`` features from their translations, column by column.

    As atlas_feature_search() builds it: the SEARCH_COLUMNS joined by spaces, a
    missing column or value as empty.
    """
    if not n:
        return []
    texts = [[v or "" for v in columns[c]] if c in columns else repeat("", n)
             for c in SEARCH_COLUMNS]
    return fold_many(map(" ".join, zip(*texts, strict=True)))


def q_condition(column: str) -> str:
    """SQL true when every word of the text ``%s`` starts a word of the folded ``column``.

    The text is folded by PostgreSQL and cut into words as the index cuts
    ``column`` (``to_tsvector('simple', …)``), all in one query of the index; a
    word with no letters or digits in it ("-", "„") rules nothing out.
    """
    return (f"(atlas_prefix_query(%s) IS NULL OR to_tsvector('simple', {column}) "
            "@@ atlas_prefix_query(%s))")
