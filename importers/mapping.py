"""From a file's attribute columns to the platform's fields.

Column names are matched after folding case and accents, in the four partner
languages and the usual GIS spellings (``NAME``, ``Име``, ``ΟΝΟΜΑ``, ``nom``,
``name_bg``, ``name:fr``, ``DESCRIPTIO``…). A name column that names no
language holds the partner's main content language. Values of controlled
fields (category, activity, difficulty, wheelchair) are matched the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from geo.i18n import LANGUAGE_CODES
from layers.vocabulary import Activity, Category, Currency, Difficulty, LayerKind, Wheelchair


def fold(text: str) -> str:
    """Lower-case, accents stripped, separators as ``_``: ``Περιγραφή`` -> ``περιγραφη``."""
    decomposed = unicodedata.normalize("NFD", str(text).strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-:./]+", "_", plain).strip("_")


TRANSLATED = ("name", "description")

COLUMN_SYNONYMS: dict[str, set[str]] = {
    "name": {"name", "nom", "ime", "име", "naimenovanie", "наименование", "название", "onoma",
             "ονομα", "title", "titre", "label", "libelle", "заглавие", "τιτλος", "nazvanie"},
    "description": {"description", "descriptio", "descriptif", "descr", "desc", "описание",
                    "opisanie", "περιγραφη", "perigrafi", "comment", "cmt", "notes", "remarks"},
    "category": {"category", "categorie", "categ", "type", "kind", "категория", "вид", "тип",
                 "kategoria", "kategoriya", "vid", "tip", "κατηγορια", "katigoria", "ειδος",
                 "eidos", "tourism", "historic", "natural", "leisure", "fclass"},
    "website": {"website", "url", "web", "site", "site_web", "siteweb", "link", "href",
                "уебсайт", "сайт", "ιστοσελιδα", "contact_website"},
    "phone": {"phone", "tel", "telephone", "telefon", "телефон", "τηλεφωνο", "tilefono",
              "contact_phone"},
    "opening_hours": {"opening_hours", "opening_ho", "hours", "horaires", "работно_време",
                      "ωραριο"},
    "address": {"address", "adresse", "addr", "адрес", "διευθυνση", "addr_full"},
    "wheelchair": {"wheelchair", "acces_pmr", "pmr", "accessible"},
    "fee": {"fee", "payant", "entrance_fee", "такса", "εισιτηριο"},
    # The practical fields attractions share with listings (actors.imports reads the
    # same words for them).
    "email": {"email", "e_mail", "mail", "courriel", "имейл", "ел_поща", "contact_email"},
    "booking_url": {"booking", "booking_url", "reservation", "book", "резервация",
                    "κρατηση"},
    "price_from": {"price_from", "price", "prix", "prix_min", "min_price", "tarif", "цена",
                   "τιμη", "charge"},
    "price_to": {"price_to", "prix_max", "max_price"},
    "currency": {"currency", "devise", "валута", "νομισμα"},
    "season_months": {"season", "season_months", "saison", "сезон", "εποχη"},
    "languages": {"languages", "langues", "езици", "γλωσσες"},
    "accessibility": {"accessibility", "accessibilite", "достъпност", "προσβασιμοτητα"},
    "activity": {"activity", "activite", "sport", "type", "вид", "δραστηριοτητα", "pratique"},
    "difficulty": {"difficulty", "difficulte", "difficult", "level", "niveau", "трудност",
                   "δυσκολια", "sac_scale"},
}

FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    LayerKind.ATTRACTIONS: ("category", "website", "phone", "opening_hours", "address",
                            "wheelchair", "fee", "email", "booking_url", "price_from",
                            "price_to", "currency", "season_months", "languages"),
    LayerKind.TRAILS: ("activity", "difficulty"),
}
# Texts in four languages beyond the name and description: an attraction's accessibility.
TRANSLATED_BY_KIND: dict[str, tuple[str, ...]] = {
    LayerKind.ATTRACTIONS: (*TRANSLATED, "accessibility"),
    LayerKind.TRAILS: TRANSLATED,
}


def target_fields(kind: str) -> list[str]:
    translated = [f"{base}_{code}" for base in TRANSLATED_BY_KIND[kind]
                  for code in LANGUAGE_CODES]
    return translated + list(FIELDS_BY_KIND[kind])


def auto_mapping(columns: list[str], kind: str, main_language: str) -> dict[str, str]:
    """Field -> column for the columns whose names say what they hold."""
    wanted = set(target_fields(kind))
    translated = TRANSLATED_BY_KIND[kind]
    mapping: dict[str, str] = {}
    folded = {col: fold(col) for col in columns}
    # Language-suffixed columns first: name_bg, NAME_EN, nom_fr, name:el, en_name.
    for col, f in folded.items():
        for base in translated:
            for code in LANGUAGE_CODES:
                if any(f in {f"{syn}_{code}", f"{code}_{syn}"}
                       for syn in COLUMN_SYNONYMS[base]):
                    mapping.setdefault(f"{base}_{code}", col)
    for base in (*translated, *FIELDS_BY_KIND[kind]):
        for col, f in folded.items():
            if f in COLUMN_SYNONYMS[base] and col not in mapping.values():
                field = f"{base}_{main_language}" if base in translated else base
                if field in wanted:
                    mapping.setdefault(field, col)
                break
    return mapping


# Values of controlled fields in the partners' languages and common tagging.
CATEGORY_SYNONYMS: dict[str, set[str]] = {
    "museum": {"musee", "музей", "μουσειο", "mouseio"},
    "gallery": {"galerie", "art_gallery", "галерия", "πινακοθηκη", "γκαλερι"},
    "church": {"eglise", "chapelle", "chapel", "cathedral", "cathedrale", "църква", "храм",
               "катедрала", "параклис", "εκκλησια", "ναος", "παρεκκλησι", "place_of_worship"},
    "monastery": {"monastere", "abbaye", "abbey", "манастир", "μονη", "μοναστηρι"},
    "castle": {"chateau", "замък", "κάστρο", "castello"},
    "fort": {"fortress", "forteresse", "citadelle", "крепост", "φρουριο"},
    "viewpoint": {"belvedere", "point_de_vue", "panorama", "панорама", "θεα", "σημειο_θεας"},
    "waterfall": {"cascade", "водопад", "καταρρακτης"},
    "peak": {"summit", "sommet", "mountain", "връх", "κορυφη"},
    "cave_entrance": {"cave", "grotte", "пещера", "σπηλαιο"},
    "park": {"parc", "парк", "παρκο"},
    "archaeological_site": {"archaeology", "archeology", "site_archeologique",
                            "археологически_обект", "αρχαιολογικος_χωρος"},
    "monument": {"паметник", "μνημειο"},
    "memorial": {"мемориал", "μνημειο_πεσοντων"},
    "ruins": {"ruines", "руини", "ερειπια"},
    "spring": {"source", "fontaine", "извор", "чешма", "πηγη"},
    "winery": {"wine", "domaine", "cave_viticole", "винарна", "винарска_изба", "οινοποιειο"},
    "nature_reserve": {"reserve", "reserve_naturelle", "резерват", "защитена_територия",
                       "καταφυγιο", "προστατευομενη_περιοχη"},
    "camp_site": {"camping", "къмпинг", "καμπινγκ"},
    "alpine_hut": {"refuge", "хижа", "ορειβατικο_καταφυγιο"},
    "information": {"office_de_tourisme", "tourist_information",
                    "туристически_информационен_център"},
}
ACTIVITY_SYNONYMS: dict[str, set[str]] = {
    "hiking": {"hike", "randonnee", "rando", "pedestre", "foot", "trekking", "пешеходен",
               "туризъм", "πεζοπορια", "ορειβασια"},
    "walking": {"walk", "promenade", "balade", "разходка", "περιπατος"},
    "running": {"run", "trail_running", "course", "trail", "бягане", "τρεξιμο"},
    "cycling": {"bike", "bicycle", "velo", "cyclisme", "road_cycling", "колоездене",
                "велосипед", "ποδηλατο", "ποδηλασια"},
    "mountain_biking": {"mtb", "vtt", "mountain_bike", "планинско_колоездене",
                        "ορεινη_ποδηλασια"},
    "horse_riding": {"horse", "equestre", "equitation", "cheval", "конна_езда", "ιππασια"},
}
DIFFICULTY_SYNONYMS: dict[str, set[str]] = {
    "easy": {"facile", "tres_facile", "лесен", "лесна", "ευκολη", "ευκολο", "1", "t1", "hiking"},
    "moderate": {"medium", "moyen", "moyenne", "intermediate", "среден", "средна", "μετρια",
                 "μετριο", "2", "t2", "t3", "mountain_hiking"},
    "hard": {"difficult", "difficile", "труден", "трудна", "δυσκολη", "δυσκολο", "3", "t4",
             "demanding_mountain_hiking"},
    "very_hard": {"very_difficult", "tres_difficile", "много_труден", "πολυ_δυσκολη", "4",
                  "t5", "t6", "alpine_hiking", "demanding_alpine_hiking"},
}
WHEELCHAIR_SYNONYMS: dict[str, set[str]] = {
    "yes": {"true", "1", "oui", "да", "ναι", "y"},
    "no": {"false", "0", "non", "не", "οχι", "n"},
    "limited": {"partial", "partiel", "partly", "частично", "μερικως"},
    "designated": set(),
}
TRUE_WORDS = {"yes", "true", "1", "oui", "да", "ναι", "y", "t", "payant", "paying"}
FALSE_WORDS = {"no", "false", "0", "non", "не", "οχι", "n", "f", "gratuit", "free",
               "безплатно", "δωρεαν"}


def _controlled(value: Any, choices: type[models.TextChoices],
                synonyms: dict[str, set[str]]) -> str | None:
    if value is None or value == "":
        return None
    f = fold(value)
    valid = {c.value for c in choices}
    if f in valid:
        return f
    for target, words in synonyms.items():
        if f in words:
            return target
    return None


def category_value(value: Any) -> str | None:
    return _controlled(value, Category, CATEGORY_SYNONYMS)


def activity_value(value: Any) -> str | None:
    return _controlled(value, Activity, ACTIVITY_SYNONYMS)


def difficulty_value(value: Any) -> str | None:
    return _controlled(value, Difficulty, DIFFICULTY_SYNONYMS)


def wheelchair_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _controlled(value, Wheelchair, WHEELCHAIR_SYNONYMS)


def fee_value(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)) and value in (0, 1):  # GDAL's booleans
        return bool(value)
    f = fold(value)
    if f in TRUE_WORDS:
        return True
    if f in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not yes or no")


URL_RE = re.compile(r"^(https?://)?([\w-]+\.)+[\w-]{2,}(/\S*)?$", re.IGNORECASE)


def website_value(value: Any) -> str:
    text = str(value).strip()
    if not URL_RE.match(text):
        raise ValueError(f"{text!r} is not a web address")
    return text if re.match(r"^https?://", text, re.IGNORECASE) else f"https://{text}"


def text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def email_value(value: Any) -> str:
    text = str(value).strip()
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(f"{text!r} is not an e-mail address") from None
    return text


CURRENCY_SYNONYMS: dict[str, set[str]] = {
    "EUR": {"eur", "€", "euro", "euros", "евро", "ευρω"},
    "BGN": {"bgn", "лв", "лева", "lev", "leva"},
}


def currency_value(value: Any) -> str | None:
    return _controlled(value, Currency, CURRENCY_SYNONYMS)


PRICE_RE = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")
FREE_WORDS = {"free", "gratuit", "gratuite", "безплатно", "δωρεαν"}
CURRENCY_WORDS = {"€", "eur", "euro", "euros", "лв", "bgn", "евро", "ευρω"}


def price_value(value: Any) -> str:
    """A price as the database's decimal text: ``12``, ``12,50``, ``8 €``, ``free`` (0);
    more than 9,999,999.99 or anything else is not a price."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 <= value < 10_000_000:
            raise ValueError(f"{value!r} is not a price")
        return f"{value:.2f}"
    f = fold(value)
    if f in FREE_WORDS:
        return "0.00"
    for word in CURRENCY_WORDS:
        f = f.replace(word, "")
    found = PRICE_RE.match(f.strip("_ "))
    if not found:
        raise ValueError(f"{value!r} is not a price")
    return f"{found[1]}.{found[2] or '0'}"


def season_value(value: Any) -> str:
    """Months as PostgreSQL's array text: ``5,6,7`` or ``5-9`` -> ``{5,6,7,8,9}``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    months: list[int] = []
    for part in re.split(r"[,;\s]+", str(value).strip()):
        if not part:
            continue
        first, _dash, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"{value!r} is not a list of months")
        low, high = int(first), int(last or first)
        if not 1 <= low <= 12 or not 1 <= high <= 12:
            raise ValueError(f"{value!r} is not a list of months")
        span = range(low, high + 1) if low <= high else [*range(low, 13), *range(1, high + 1)]
        months.extend(m for m in span if m not in months)
    if not months:
        raise ValueError(f"{value!r} is not a list of months")
    return "{" + ",".join(str(m) for m in sorted(months)) + "}"


def languages_value(value: Any) -> str:
    """Two-letter language codes as PostgreSQL's array text: ``bg, EN`` -> ``{bg,en}``."""
    codes = [c.lower() for c in re.split(r"[,;/\s]+", str(value).strip()) if c]
    if not codes or any(len(c) != 2 or not c.isascii() or not c.isalpha() for c in codes):
        raise ValueError(f"{value!r} is not a list of two-letter language codes")
    return "{" + ",".join(dict.fromkeys(codes)) + "}"
