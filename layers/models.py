"""Partners, their layers, and the features in them.

All geometries are EPSG:4326 with GiST indexes. Text shown to people (names,
titles, descriptions) is translated into bg/el/fr/en by modeltranslation, see
``layers/translation.py``; ``geo/i18n.py`` gives the fallback chain.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from geo import fields
from geo.crs import WGS84
from geo.opening_hours import validate_opening_hours
from layers.audit_tracking import audit_track_links
from layers.display import footprints_display_refresh, trails_display_refresh
from layers.validation import (
    HEX_COLOUR,
    NEUTRAL_COLOUR,
    hex_colour,
    iso_country,
    practical_problems,
)
from layers.vocabulary import (
    Activity,
    Category,
    Currency,
    Difficulty,
    LayerKind,
    Territory,
    Visibility,
    Wheelchair,
)
from media.models import MediaItem

if TYPE_CHECKING:
    # modeltranslation makes each translated model's managers its MultilingualManager; the
    # type checker's Django plugin finds that class only if it has read its module first.
    import modeltranslation.manager  # noqa: F401

CONTENT_LANGUAGES = (("bg", _("Bulgarian")), ("el", _("Greek")), ("fr", _("French")),
                     ("en", _("English")))

# How far (degrees, ~2 km) a feature may lie over a territory's border and still count as
# drawn on it: imports note features beyond it, and other partners' territories begin
# that far inside theirs (Trust D14).
BORDER_SLACK_DEG = 0.02


class Partner(models.Model):
    """A partner territory and the organisation that maintains its data."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[iso_country],
                               help_text=_("ISO 3166-1 alpha-2"))
    boundary = models.MultiPolygonField(_("boundary"), srid=WGS84)
    languages = ArrayField(
        models.CharField(max_length=2, choices=CONTENT_LANGUAGES),
        verbose_name=_("content languages"),
        help_text=_("The partner's content languages, its main language first."),
    )
    website = models.URLField(blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, default=NEUTRAL_COLOUR, validators=[hex_colour],
        help_text=_("The partner's colour on the maps: its boundary and its swatch in the "
                    "layers panel, e.g. #1f77b4."),
    )
    territory = models.CharField(
        _("territory"), max_length=20, choices=Territory.choices, blank=True,
        help_text=_("The administrative level of the partner's territory: Stara Zagora and "
                    "Sliven are provinces, Larissa a regional unit, the Drôme a department."),
    )
    editors = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="partner",
        help_text=_("Members of this group edit this partner's layers and features."),
    )
    # Two more roles beside the editors (Exchange, Actors): a partner's *moderators* review
    # other partners' practices and moderate what tourism actors list in its territory;
    # its *members* take part in the exchange (write its practices, ask, endorse). Groups,
    # as the editors', so that an operator grants a role in the admin as any other.
    moderators = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="moderated_partner",
        help_text=_("Members of this group review other partners' good practices and "
                    "moderate the listings in this partner's territory."),
    )
    members = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="member_partner",
        help_text=_("Members of this group take part in the exchange of good practices for "
                    "this partner: they write its practices, ask questions and endorse."),
    )
    # A training partner (docs/users/training.md): its layers are never public (a
    # trigger keeps them "partners only", migration 0023) and the registry's kinds that are
    # in no layer leave its rows out of everything public, so that practice never reaches
    # the regional layer, its tiles, OGC API, exports, sitemap, search or statistics.
    sandbox = models.BooleanField(
        _("sandbox"), default=False,
        help_text=_("A training partner: nothing of it is ever public (manage.py "
                    "reset_sandbox restores it)."))
    welcomes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="welcomed_by",
        verbose_name=_("partners welcome to publish here"),
        help_text=_("Partners whose public features may lie in this partner's territory. "
                    "Another partner's features inside it otherwise stay visible to partners "
                    "only, so that the territory's public map and figures are its own."),
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            # Maps put it in a style: nothing but a colour gets there, whoever writes it.
            models.CheckConstraint(condition=models.Q(colour__regex=HEX_COLOUR),
                                   name="partner_colour_hex",
                                   violation_error_message=hex_colour.message),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    @property
    def main_language(self) -> str:
        return self.languages[0] if self.languages else "en"


class PartnerWelcome(Partner.welcomes.through):  # type: ignore[name-defined]
    """A partner's welcome of another (``Partner.welcomes``), audited."""

    class Meta:
        proxy = True


audit_track_links(PartnerWelcome)


class Layer(models.Model):
    """A set of features of one kind that one partner publishes together."""

    slug = models.SlugField(unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="layers")
    kind = models.CharField(max_length=20, choices=LayerKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True,
                               help_text=_("An SPDX identifier where one exists, e.g. CC-BY-4.0."))
    source = models.CharField(_("source"), max_length=500, blank=True,
                              help_text=_("Who made the data and how; shown as attribution."))
    visibility = models.CharField(max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    reference = models.BooleanField(
        _("reference layer"), default=False,
        help_text=_("Areas or other reference data (municipalities, communes …) rather than "
                    "things to visit: shown and downloadable as a layer of its own, but not "
                    "among the attractions of the regional layer, the map or the routes. "
                    "Marking a layer as sub-areas for the coverage analysis sets it."))
    import_settings = models.JSONField(
        default=dict, blank=True,
        help_text=_("Attribute mapping and id field remembered from the last import."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__slug", "slug"]

    def __str__(self) -> str:
        return self.title or self.slug


class Feature(models.Model):
    """Fields every published feature has."""

    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False,
                           help_text=_("Stable public identifier; survives re-imports."))
    source_id = models.CharField(
        _("source id"), max_length=255, blank=True,
        help_text=_("Identifier in the partner's source file; re-imports match on it."),
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    properties = models.JSONField(
        default=dict, blank=True,
        help_text=_("Source attributes the model has no field for, by their original names."),
    )
    retired_at = models.DateTimeField(
        _("retired"), null=True, blank=True,
        help_text=_("Set when a synchronising import no longer found the feature; retired "
                    "features are not published."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name or self.source_id or str(self.uid)

    def clean(self) -> None:
        super().clean()
        names = [getattr(self, f"name_{code}", "") for code, _label in CONTENT_LANGUAGES]
        if not any(names):
            raise ValidationError(_("Give a name in at least one language."))


class Attraction(Feature):
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="attractions")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    location = models.PointField(_("location"), srid=WGS84)
    # Most attractions are points: a partial index skips the empty footprints
    # (a plain GiST index would index every NULL and slow bulk imports down).
    footprint = models.MultiPolygonField(_("footprint"), srid=WGS84, null=True, blank=True,
                                         spatial_index=False)
    # Beyond the display's vertex cap, the footprint as pages draw it (layers.display);
    # the whole one is kept for the exports and the API.
    display_footprint = models.MultiPolygonField(_("display footprint"), srid=WGS84,
                                                 null=True, blank=True, editable=False,
                                                 spatial_index=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True,
                                     validators=[validate_opening_hours],
                                     help_text=_("OpenStreetMap syntax, e.g. Tu-Su 09:00-17:00"))
    wheelchair = models.CharField(_("wheelchair access"), max_length=10, blank=True,
                                  choices=Wheelchair.choices)
    fee = models.BooleanField(_("fee"), null=True, blank=True)
    # The practical fields a listing has too (actors.Listing: same types, checks and
    # choices). Database defaults, so that rows written by SQL (imports, restores, tests'
    # factories) need not name them.
    hours_as_given = models.CharField(
        _("opening hours as given"), max_length=255, blank=True, default="", db_default="",
        help_text=_("Hours from an imported file that are not in OpenStreetMap's syntax: "
                    "rewrite them as opening hours above, and this empties itself."))
    season_months = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                     MaxValueValidator(12)]),
        verbose_name=_("season (months)"), blank=True, default=list, db_default=[],
        help_text=_("Months open, 1 to 12, comma-separated; empty when open all year."))
    price_from = models.DecimalField(_("price from"), max_digits=9, decimal_places=2,
                                     null=True, blank=True)
    price_to = models.DecimalField(_("price to"), max_digits=9, decimal_places=2,
                                   null=True, blank=True)
    # Left out (a form without it, an attraction without a price): euros, as the clean says.
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices,
                                blank=True, default=Currency.EUR, db_default=Currency.EUR)
    accessibility = models.TextField(_("accessibility details"), blank=True, default="",
                                     db_default="")
    email = models.EmailField(_("e-mail"), blank=True, default="", db_default="")
    booking_url = models.URLField(_("booking link"), max_length=500, blank=True,
                                  default="", db_default="")
    languages = ArrayField(models.CharField(max_length=2), verbose_name=_("languages spoken"),
                           blank=True, default=list, db_default=[],
                           help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))
    # Its photos (media): deleting the attraction deletes them, and their files.
    photos = GenericRelation(MediaItem, content_type_field="owner_type",
                             object_id_field="owner_id")

    def clean(self) -> None:
        if self.opening_hours:
            self.hours_as_given = ""
        if not self.currency:
            self.currency = Currency.EUR
        problems = practical_problems(self)
        try:
            super().clean()
        except ValidationError as exc:
            if not problems:
                raise
            problems[NON_FIELD_ERRORS] = list(exc.messages)
        if problems:
            raise ValidationError(problems)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if footprints_display_refresh(attraction_id=self.pk):
            self.refresh_from_db(fields=["display_footprint"])

    class Meta:
        ordering = ["layer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "source_id"], name="attraction_source_id",
                                    condition=~models.Q(source_id="")),
        ]
        indexes = [
            models.Index(fields=["category"]),
            GistIndex(fields=["footprint"], name="attraction_footprint_gist",
                      condition=models.Q(footprint__isnull=False)),
        ]


class Trail(Feature):
    """A line people follow. Its metrics are computed by PostGIS, see trail_metrics."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="trails")
    activity = models.CharField(_("activity"), max_length=32, choices=Activity.choices,
                                default=Activity.HIKING)
    difficulty = models.CharField(_("difficulty"), max_length=16, blank=True,
                                  choices=Difficulty.choices)
    geom = fields.MultiLineStringAnyZField(_("geometry"), srid=WGS84)
    # Computed by PostgreSQL (trigger trail_metrics, layers/migrations/0004) whenever the
    # geometry or the activity is written, by any path: never typed by hand.
    length_m = models.FloatField(_("length (m)"), null=True, editable=False)
    ascent_m = models.FloatField(_("ascent (m)"), null=True, editable=False)
    descent_m = models.FloatField(_("descent (m)"), null=True, editable=False)
    min_elevation_m = models.FloatField(_("lowest point (m)"), null=True, editable=False)
    max_elevation_m = models.FloatField(_("highest point (m)"), null=True, editable=False)
    duration_min = models.IntegerField(_("estimated duration (min)"), null=True,
                                       editable=False)
    is_loop = models.BooleanField(_("loop"), null=True, editable=False)
    # The line thinned to ATLAS_DISPLAY_MAX_VERTICES for pages, map lists and tiles; NULL
    # when the line is within the cap (migration 0015). Exports keep ``geom`` whole.
    display_geom = fields.MultiLineStringAnyZField(_("display geometry"), srid=WGS84,
                                                   null=True, editable=False)

    class Meta:
        ordering = ["layer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "source_id"], name="trail_source_id",
                                    condition=~models.Q(source_id="")),
        ]
        indexes = [models.Index(fields=["activity"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        trails_display_refresh(trail_id=self.pk)
        # The trigger computed the metrics in the row just written: read them back.
        self.refresh_from_db(fields=(*TRAIL_METRICS, "display_geom"))

    @property
    def has_elevation(self) -> bool:
        return self.ascent_m is not None


TRAIL_METRICS = ("length_m", "ascent_m", "descent_m", "min_elevation_m", "max_elevation_m",
                 "duration_min", "is_loop")


# Django finds the app's models through this module: the layer's own records live apart.
from layers.layer_facts import LayerMetadata, LayerStatistics  # noqa: E402, F401
