"""What ``?q=`` asks for, and its SQL for any kind's table: words, category words, places.

A query is cut into words at spaces. Each word must match the feature, in one of these
ways (the first ones are *exact*, the last is *close*):

- it starts a word of the feature's folded text (``layers/search.py``: "Стара" finds
  Stara Zagora, "zag" finds it too);
- it is a word of a category family (``layers.vocabulary.CATEGORY_FAMILIES``: castle,
  fort, крепост, κάστρο, château …, with plurals and the start of a word of four letters
  or more): then any word of the family in the text matches, in any language, and so
  does a feature of the family's categories (for kinds with a category,
  ``FeatureKind.category_sql``);
- close: a word of four letters or more that matches nothing exactly among the rows the
  other filters keep (a typo, another transliteration) matches a word of the text by
  trigram similarity (pg_trgm's ``<%``, word similarity ≥ 0.6, its default), both
  folded and then loosened (``atlas_loose``: y, j → i, w → v, where transliterations
  differ: Tuyda, Tuida; Yambol, Jambol). Only then: a close match reads each candidate's
  whole text again (some 100 µs a row), 1 s for a common word over 100,000 features,
  where an exact match is answered by the word index alone (``known_words``).

A word (or two: "Stara Zagora") that names a partner — its name in any of the four
languages, or its slug — narrows the query to the partner's territory when other words
remain: ``monastery sliven`` is the monasteries in Sliven's boundary. Alone, it is a
word like the others.

Ranking (``score``): 0 when every word matched exactly, else the sum over the words
matched closely of 2 − their similarity (so a close match comes after every exact one,
however similar: "tuida" loosened is "Tuyda" loosened, similarity 1; on the regional
layer, a kind's close matches after another kind's exact ones); features sort by it,
then as they did.
Kinds get all of this from the registry (their ``search_sql``, ``category_sql`` and
geometry): a new kind with a folded ``search`` column is searched the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.db import connection

from layers.search import fold
from layers.vocabulary import CATEGORY_FAMILIES

CLOSE_FROM = 4
"""Letters a word needs before it may match closely (trigrams of a shorter one say little)."""

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Word:
    """One word of the query: as typed, and the family it names, if any."""

    text: str
    folded: str  # letters and digits only, folded
    terms: tuple[str, ...] = ()  # the family's folded words, when it names one
    categories: tuple[str, ...] = ()  # the family's categories
    exact_only: bool = False  # it matches some row exactly (``known_words``)

    @property
    def close(self) -> bool:
        """Long enough, and no category word: it may match closely."""
        return len(self.folded) >= CLOSE_FROM and not self.terms


@dataclass(frozen=True)
class TextQuery:
    words: tuple[Word, ...]
    places: tuple[int, ...] = field(default=())  # partner ids whose territory narrows it


def _family_of(folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(terms, categories) of the family a folded word names, or two empty tuples."""
    for family in _folded_families():
        for term in family[0]:
            if folded == term or (len(folded) >= 4 and term.startswith(folded)) or (
                    folded.startswith(term) and len(folded) - len(term) <= 2):
                return family
    return (), ()


@lru_cache(maxsize=1)
def _folded_families() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(tuple(sorted({"".join(_WORD.findall(fold(w))) for w in words})), tuple(cats))
            for cats, words in CATEGORY_FAMILIES]


def _place_names() -> dict[tuple[str, ...], int]:
    """Folded words of each partner's names and slug -> the partner's id."""
    from layers.models import Partner

    names: dict[tuple[str, ...], int] = {}
    for row in Partner.objects.values("id", "slug", "name_bg", "name_el", "name_fr",
                                      "name_en"):
        for value in (row["slug"].replace("-", " "), row["name_bg"], row["name_el"],
                      row["name_fr"], row["name_en"]):
            words = tuple(_WORD.findall(fold(value or "")))
            if words:
                names[words] = row["id"]
    return names


def parse_text_query(q: str) -> TextQuery:
    """``q`` as words, category families and places (reads the partners' names)."""
    pieces = [(p, "".join(_WORD.findall(fold(p)))) for p in q.split()]
    pieces = [(p, f) for p, f in pieces if f]  # punctuation alone rules nothing out
    places: list[int] = []
    kept: list[tuple[str, str]] = []
    names = _place_names() if len(pieces) > 1 else {}
    longest = max((len(n) for n in names), default=0)
    i = 0
    while i < len(pieces):
        for size in range(min(longest, len(pieces) - i), 0, -1):
            partner = names.get(tuple(f for _, f in pieces[i:i + size]))
            if partner is not None:
                places.append(partner)
                i += size
                break
        else:
            kept.append(pieces[i])
            i += 1
    if not kept:  # only place names: they are words to find, not a narrowing
        kept, places = pieces, []
    words = []
    for text, folded in kept:
        terms, categories = _family_of(folded)
        words.append(Word(text=text, folded=folded, terms=terms, categories=categories))
    return TextQuery(words=tuple(words), places=tuple(dict.fromkeys(places)))


def _terms_query(terms: tuple[str, ...]) -> str:
    """A tsquery's text: any of the family's words, the longer ones as a word's start
    (Bulgarian and Greek endings: крепостта, κάστρα)."""
    return " | ".join(f"'{t}':*" if len(t) >= 5 else f"'{t}'" for t in terms)


def _exact(word: Word, search: str, category: str, params: list) -> str:
    tsquery = "atlas_prefix_query(%s)"
    params.append(word.text)
    if word.terms:
        tsquery = f"({tsquery} || to_tsquery('simple', %s))"
        params.append(_terms_query(word.terms))
    parts = [f"to_tsvector('simple', {search}) @@ {tsquery}"]
    if word.categories and category:
        parts.append(f"{category} = ANY(%s)")
        params.append(list(word.categories))
    return " OR ".join(parts)


def known_words(query: TextQuery, *, source: str, where: str, where_params: list,
                search: str, category: str) -> TextQuery:
    """``query`` with each word that could match closely (``Word.close``) marked
    ``exact_only`` when a row of ``source`` (SQL of a table and its alias) that ``where``
    keeps matches it exactly: one query, answered by the word index (a common word's
    count costs some 20 ms over 100,000 features)."""
    candidates = [w for w in query.words if w.close]
    if not candidates:
        return query
    checks, params = [], []
    for word in candidates:
        params.extend(where_params)
        # Counted, not EXISTS: looking for a first row, the planner walks the table
        # folding every text (4.7 s over 100,000 attractions for a word none has).
        checks.append(f"(SELECT count(*) FROM {source} WHERE {where} AND "
                      f"({_exact(word, search, category, params)})) > 0")
    with connection.cursor() as cursor:
        cursor.execute("SELECT ARRAY[" + ", ".join(checks) + "]", params)
        found = cursor.fetchone()[0]
    exact = {w.text for w, f in zip(candidates, found, strict=True) if f}
    return replace(query, words=tuple(replace(w, exact_only=True) if w.text in exact else w
                                      for w in query.words))


def text_conditions(query: TextQuery, *, search: str, category: str, geom: str,
                    params: list) -> str:
    """SQL true when the row matches every word of ``query`` and lies in its places.

    ``search``: SQL of the row's folded text; ``category``: SQL of its category, or "";
    ``geom``: SQL of its geometry (EPSG:4326). A word that can match closely (see
    ``known_words``) matches only so: an OR with the exact match would have PostgreSQL
    fold every candidate's text again (the trigram index is lossy), as a close match does.
    """
    where = []
    for word in query.words:
        if word.close and not word.exact_only:
            where.append(f"atlas_loose(atlas_latin(%s)) <%% atlas_loose({search})")
            params.append(word.text)
        else:
            where.append(f"({_exact(word, search, category, params)})")
    if query.places:
        where.append(f"EXISTS (SELECT 1 FROM layers_partner tp WHERE tp.id = ANY(%s) "
                     f"AND {geom} && tp.boundary AND ST_Intersects({geom}, tp.boundary))")
        params.append(list(query.places))
    return " AND ".join(where) or "true"


def text_score(query: TextQuery, *, search: str, category: str, params: list) -> str:
    """SQL of the row's rank (see the module's docstring): 0 for an exact match."""
    parts = []
    for word in query.words:
        if word.close and not word.exact_only:
            parts.append(f"2 - word_similarity(atlas_loose(atlas_latin(%s)), "
                         f"atlas_loose({search}))")
            params.append(word.text)
    return " + ".join(parts) or "0"
