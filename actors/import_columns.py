"""How a listings file's columns and type words are understood: the column names that
hold each listing field (beyond ``importers.mapping``'s), in the four languages, and the
words that name a listing type. Used by ``actors.imports`` for CSV and GeoJSON files."""

from __future__ import annotations

from functools import cache

from django.utils import translation

from actors.vocabulary import ListingType
from importers.mapping import COLUMN_SYNONYMS, fold

# Listing field -> the folded column names that hold it (beyond importers.mapping's).
LISTING_COLUMNS: dict[str, set[str]] = {
    "source_id": {"id", "ref", "source_id", "identifier", "ident", "code", "reference",
                  "идентификатор", "κωδικος"},
    "lon": {"lon", "lng", "long", "longitude", "x", "дължина", "географска_дължина",
            "μηκος", "γεωγραφικο_μηκος"},
    "lat": {"lat", "latitude", "y", "ширина", "географска_ширина", "πλατος",
            "γεωγραφικο_πλατος"},
    "type": {"type", "kind", "category", "categorie", "тип", "вид", "категория", "τυπος",
             "ειδος", "κατηγορια", "tourism", "amenity"},
    "address": COLUMN_SYNONYMS["address"],
    "opening_hours": COLUMN_SYNONYMS["opening_hours"],
    "phone": COLUMN_SYNONYMS["phone"],
    "website": COLUMN_SYNONYMS["website"],
    "wheelchair": COLUMN_SYNONYMS["wheelchair"],
    "email": COLUMN_SYNONYMS["email"],
    "booking_url": COLUMN_SYNONYMS["booking_url"],
    # The listing import's own words: the attractions' also take "tarif" and "charge".
    "price_from": {"price_from", "price", "prix", "prix_min", "min_price", "цена", "τιμη"},
    "price_to": COLUMN_SYNONYMS["price_to"],
    "currency": COLUMN_SYNONYMS["currency"],
    "capacity": {"capacity", "capacite", "beds", "lits", "seats", "places", "капацитет",
                 "легла", "χωρητικοτητα"},
    "season_months": COLUMN_SYNONYMS["season_months"],
    "languages": COLUMN_SYNONYMS["languages"],
    "starts_on": {"starts_on", "start", "start_date", "date_debut", "debut", "начало",
                  "εναρξη"},
    "ends_on": {"ends_on", "end", "end_date", "date_fin", "fin", "край", "ληξη"},
}
TRANSLATED = {"name": COLUMN_SYNONYMS["name"], "description": COLUMN_SYNONYMS["description"]}
LANGS = ("bg", "el", "fr", "en")

# A type's usual words, folded, beyond its own value and its label in each language.
TYPE_WORDS: dict[str, set[str]] = {
    ListingType.ACCOMMODATION: {
        "hotel", "guesthouse", "guest_house", "hostel", "motel", "camping", "camp_site",
        "gite", "chambre_d_hotes", "chambres_d_hotes", "hebergement", "apartment", "chalet",
        "lodging", "lodgingbusiness", "хотел", "къща_за_гости", "хижа", "къмпинг",
        "ξενοδοχειο", "ξενωνας", "καταλυμα"},
    ListingType.FOOD: {"food", "restaurant", "cafe", "bar", "pub", "tavern", "taverna",
                       "bistro", "restauration", "foodestablishment", "ресторант", "механа",
                       "кафене", "εστιατοριο", "ταβερνα", "καφενειο"},
    ListingType.GUIDE: {"guiding", "activity", "activity_provider", "accompagnateur",
                        "екскурзовод", "гид", "ξεναγος"},
    ListingType.EXPERIENCE: {"package", "tour", "sejour", "excursion", "преживяване",
                             "εμπειρια"},
    ListingType.PRODUCT: {"product", "winery", "wine", "cellar", "producer", "crafts",
                          "craft", "produit", "produit_local", "cave", "domaine", "винарна",
                          "изба", "продукт", "οινοποιειο", "προιον"},
    ListingType.RENTAL: {"rental", "bike_rental", "bicycle_rental", "car_rental", "taxi",
                         "transport", "location", "location_velo", "наем", "ενοικιαση"},
    ListingType.INFORMATION: {"tourist_information", "information_centre",
                              "office_de_tourisme", "tourist_office",
                              "touristinformationcenter", "информация", "κεντρο_πληροφορησης"},
    ListingType.EVENT: {"festival", "fete", "concert", "fair", "exhibition", "evenement",
                        "manifestation", "събитие", "фестивал", "εκδηλωση", "φεστιβαλ"},
}


@cache
def _type_words() -> dict[str, str]:
    """Every folded word that names a listing type (its value, its usual words, its label
    in each language) -> the type: made once, not for every row."""
    words: dict[str, str] = {}
    for value, label in ListingType.choices:
        for word in {value, fold(value), *TYPE_WORDS.get(value, set())}:
            words.setdefault(word, value)
        for lang in LANGS:
            with translation.override(lang):
                words.setdefault(fold(str(label)), value)
    return words


def type_value(text: str) -> str:
    """The listing type a cell names, or the cell itself (the form then refuses it)."""
    return _type_words().get(fold(text), text)


def column_mapping(columns: list[str]) -> dict[str, str]:
    """Form field -> the file's column that holds it."""
    folded = {col: fold(col) for col in columns}
    mapping: dict[str, str] = {}
    for col, f in folded.items():  # name_bg, NOM_FR, en_name, description:el
        for base, words in TRANSLATED.items():
            for code in LANGS:
                if any(f in {f"{w}_{code}", f"{code}_{w}"} for w in words):
                    mapping.setdefault(f"{base}_{code}", col)
    used = set(mapping.values())
    for name, words in LISTING_COLUMNS.items():
        for col, f in folded.items():
            if f in words and col not in used:
                mapping.setdefault(name, col)
                used.add(col)
                break
    for base, words in TRANSLATED.items():  # a plain "name": see _values
        for col, f in folded.items():
            if f in words and col not in used:
                mapping.setdefault(base, col)
                used.add(col)
                break
    return mapping
