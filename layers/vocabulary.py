"""Controlled vocabularies of the platform.

Attraction categories follow OpenStreetMap's tourism / historic / natural /
leisure tags so that a layer exchanged with OSM-based tools keeps its meaning:
each category records the OSM key and value it stands for.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# What every export names a feature's public id (``uid``, the API's ``id``): a column
# (GeoJSON: the Feature's ``id``, which GDAL reads as that column; GPX: the ``atlas:id``
# element). The importers recognise it (importers/pipeline/public_ids.py).
PUBLIC_ID_COLUMN = "id"


class Territory(models.TextChoices):
    """What kind of area a partner's territory is (its administrative level)."""

    PROVINCE = "province", _("province")
    REGIONAL_UNIT = "regional_unit", _("regional unit")
    DEPARTMENT = "department", _("department")
    MUNICIPALITY = "municipality", _("municipality")


class Category(models.TextChoices):
    # tourism=*
    MUSEUM = "museum", _("Museum")
    GALLERY = "gallery", _("Gallery")
    ATTRACTION = "attraction", _("Attraction")
    VIEWPOINT = "viewpoint", _("Viewpoint")
    ARTWORK = "artwork", _("Artwork")
    THEME_PARK = "theme_park", _("Theme park")
    ZOO = "zoo", _("Zoo")
    PICNIC_SITE = "picnic_site", _("Picnic site")
    CAMP_SITE = "camp_site", _("Camp site")
    ALPINE_HUT = "alpine_hut", _("Mountain hut")
    INFORMATION = "information", _("Tourist information")
    # historic=*
    ARCHAEOLOGICAL_SITE = "archaeological_site", _("Archaeological site")
    CASTLE = "castle", _("Castle")
    MONUMENT = "monument", _("Monument")
    MEMORIAL = "memorial", _("Memorial")
    RUINS = "ruins", _("Ruins")
    MONASTERY = "monastery", _("Monastery")
    CHURCH = "church", _("Historic church")
    TOMB = "tomb", _("Tomb")
    FORT = "fort", _("Fort")
    CITY_GATE = "city_gate", _("City gate")
    MANOR = "manor", _("Manor")
    BRIDGE = "bridge", _("Historic bridge")
    # natural=*
    PEAK = "peak", _("Peak")
    CAVE_ENTRANCE = "cave_entrance", _("Cave")
    WATERFALL = "waterfall", _("Waterfall")
    SPRING = "spring", _("Spring")
    ROCK = "rock", _("Rock formation")
    GORGE = "gorge", _("Gorge")
    HOT_SPRING = "hot_spring", _("Hot spring")
    VALLEY = "valley", _("Valley")
    # leisure=*
    PARK = "park", _("Park")
    NATURE_RESERVE = "nature_reserve", _("Nature reserve")
    GARDEN = "garden", _("Garden")
    # craft=winery: wine tourism is one of the partners' themes.
    WINERY = "winery", _("Winery")


OSM_TAG: dict[str, tuple[str, str]] = {
    **{c: ("tourism", c) for c in (
        "museum", "gallery", "attraction", "viewpoint", "artwork", "theme_park", "zoo",
        "picnic_site", "camp_site", "alpine_hut", "information")},
    **{c: ("historic", c) for c in (
        "archaeological_site", "castle", "monument", "memorial", "ruins", "monastery",
        "church", "tomb", "fort", "city_gate", "manor", "bridge")},
    **{c: ("natural", c) for c in (
        "peak", "cave_entrance", "waterfall", "spring", "rock", "gorge", "hot_spring",
        "valley")},
    **{c: ("leisure", c) for c in ("park", "nature_reserve", "garden")},
    "winery": ("craft", "winery"),
}
"""Category -> (OSM key, OSM value)."""


class Activity(models.TextChoices):
    WALKING = "walking", _("Walking")
    HIKING = "hiking", _("Hiking")
    RUNNING = "running", _("Trail running")
    CYCLING = "cycling", _("Cycling")
    MOUNTAIN_BIKING = "mountain_biking", _("Mountain biking")
    HORSE_RIDING = "horse_riding", _("Horse riding")
    CROSS_COUNTRY_SKIING = "cross_country_skiing", _("Cross-country skiing")
    SNOWSHOEING = "snowshoeing", _("Snowshoeing")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MODERATE = "moderate", _("Moderate")
    HARD = "hard", _("Hard")
    VERY_HARD = "very_hard", _("Very hard")


class Wheelchair(models.TextChoices):
    # OSM's wheelchair=* values.
    YES = "yes", _("Yes")
    LIMITED = "limited", _("Limited")
    NO = "no", _("No")
    DESIGNATED = "designated", _("Designated")


class Currency(models.TextChoices):
    # The prices of attractions and listings (actors.Listing): the partners' currencies.
    EUR = "EUR", "EUR"
    BGN = "BGN", "BGN"


class LayerKind(models.TextChoices):
    ATTRACTIONS = "attractions", _("Attractions")
    TRAILS = "trails", _("Trails")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners only")
    PRIVATE = "private", _("Private to the partner")


CATEGORY_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # (categories, words in English, Bulgarian, Greek and French — singular and the plurals
    # a word's start does not give). The words are what visitors type, not labels: a
    # search for any of them finds features of the categories, and any of the words in
    # a name or description, in any language (layers/search_query.py). A word belongs to
    # one family only: French "cave" (a cellar) is left out, English "cave" is a cave.
    (("castle", "fort", "city_gate"),
     ("castle", "fort", "fortress", "citadel", "stronghold", "крепост", "замък", "кале",
      "цитадела", "κάστρο", "κάστρα", "φρούριο", "φρούρια", "château", "châteaux",
      "forteresse", "citadelle")),
    (("monastery",),
     ("monastery", "monasteries", "abbey", "convent", "манастир", "обител", "μονή",
      "μονές", "μοναστήρι", "μοναστήρια", "monastère", "abbaye", "couvent")),
    (("church",),
     ("church", "chapel", "cathedral", "basilica", "църква", "черква", "храм", "параклис",
      "катедрала", "базилика", "εκκλησία", "εκκλησάκι", "ναός", "παρεκκλήσι", "βασιλική",
      "église", "chapelle", "cathédrale", "basilique")),
    (("museum", "gallery"),
     ("museum", "gallery", "galleries", "exhibition", "музей", "галерия", "експозиция", "μουσείο",
      "μουσεία", "πινακοθήκη", "musée", "galerie", "exposition")),
    (("archaeological_site", "ruins", "tomb"),
     ("archaeological", "archaeology", "ruins", "remains", "tomb", "excavation",
      "археологически", "руини", "гробница", "могила", "разкопки", "αρχαιολογικός",
      "ερείπια", "τάφος", "ανασκαφή", "archéologique", "ruines", "vestiges", "tombe",
      "fouilles")),
    (("monument", "memorial"),
     ("monument", "memorial", "statue", "паметник", "мемориал", "μνημείο", "μνημεία",
      "άγαλμα", "mémorial", "statue")),
    (("cave_entrance",),
     ("cave", "grotto", "cavern", "пещера", "σπήλαιο", "σπήλαια", "grotte", "caverne",
      "gouffre")),
    (("waterfall",),
     ("waterfall", "cascade", "водопад", "καταρράκτης", "καταρράκτες", "chute")),
    (("spring", "hot_spring"),
     ("spring", "spa", "thermal", "извор", "минерален", "баня", "πηγή", "πηγές",
      "λουτρά", "ιαματικά", "source", "thermes")),
    (("peak",),
     ("peak", "summit", "връх", "върх", "κορυφή", "sommet")),
    (("gorge", "valley"),
     ("gorge", "canyon", "ravine", "valley", "ждрело", "каньон", "дефиле", "долина",
      "φαράγγι", "φαράγγια", "κοιλάδα", "gorges", "vallée")),
    (("park", "garden", "nature_reserve"),
     ("park", "garden", "reserve", "парк", "градина", "резерват", "πάρκο", "κήπος",
      "parc", "jardin", "réserve")),
    (("viewpoint",),
     ("viewpoint", "panorama", "lookout", "панорама", "гледка", "θέα", "belvédère")),
    (("winery",),
     ("winery", "wine", "vineyard", "винарна", "винарска", "вино", "οινοποιείο", "κρασί",
      "αμπελώνας", "vignoble", "domaine", "vin")),
    (("alpine_hut", "camp_site"),
     ("hut", "refuge", "shelter", "camping", "campsite", "хижа", "заслон", "къмпинг",
      "καταφύγιο", "κάμπινγκ", "chalet")),
    (("bridge",),
     ("bridge", "мост", "γεφύρι", "γέφυρα", "pont")),
)
"""Families of categories and the words for them, for search (``?q=castle`` finds forts)."""


class UpdateFrequency(models.TextChoices):
    """How often a layer's data is updated: ISO 19115's MD_MaintenanceFrequencyCode (the
    values are its codes; layers/metadata maps them to DCAT's frequency vocabulary)."""

    CONTINUAL = "continual", _("Continually")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    BIANNUALLY = "biannually", _("Twice a year")
    ANNUALLY = "annually", _("Yearly")
    AS_NEEDED = "asNeeded", _("As needed")
    IRREGULAR = "irregular", _("Irregularly")
    NOT_PLANNED = "notPlanned", _("No update planned")
    UNKNOWN = "unknown", _("Unknown")
