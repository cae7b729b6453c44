"""The gazetteer: first-level divisions and populated places, from GeoNames."""

from django.db import models
from django.db.models import Q

from casualties.display_names import admin1_display_name

# The smallest population the map names a town for (casualties.selectors.map); the label index holds no smaller.
LABELLED_POPULATION_MIN = 5_000


class Admin1(models.Model):
    """A first-level division (governorate, province, oblast, state) by its GeoNames code and English name."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    code = models.CharField(max_length=20, help_text="GeoNames admin1 code within the country")
    name = models.CharField(max_length=200)
    # Filled on save from the name (casualties.display_names); bulk writers set it themselves.
    display_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name readers use (Rural Damascus for Rif-dimashq), shown in the page, charts and exports",
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings seen in the news")
    # A representative point (mean of its places) for incidents located only to the division.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # Boundary loaded by an analyst (GeoJSON geometry); absent until then.
    boundary = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "first-level division"
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="admin1_unique_code_per_country"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="admin1_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180), name="admin1_lon_range"
            ),
        ]
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    def save(self, *args, **kwargs) -> None:
        if not self.display_name:
            self.display_name = admin1_display_name(country=self.country, name=self.name)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "display_name"}
        super().save(*args, **kwargs)


class Place(models.Model):
    """A populated place: a city, town, village or district."""

    class Origin(models.TextChoices):
        PACKAGE = "package", "GeoNames, from the installed package data"
        DUMP = "dump", "GeoNames, from a country dump loaded by an analyst"
        REPORT = "report", "Named by a report, before the gazetteer was loaded"

    geonameid = models.BigIntegerField(null=True, blank=True, unique=True)
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200, db_index=True)
    alternate_names = models.JSONField(default=list, blank=True, help_text="Incl. Arabic script and transliterations")
    country = models.CharField(max_length=2)
    admin1 = models.ForeignKey(Admin1, null=True, blank=True, on_delete=models.PROTECT, related_name="places")
    lat = models.FloatField()
    lon = models.FloatField()
    population = models.BigIntegerField(default=0)
    # Every name folded to a search key ("|ariha|arihah|riha|"), so one LIKE finds any spelling.
    search_keys = models.TextField(blank=True, editable=False)
    # The engine has the package data already; only dump places make it read the database.
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.PACKAGE)

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="place_lat_range"),
            models.CheckConstraint(condition=Q(lon__gte=-180, lon__lte=180), name="place_lon_range"),
            models.CheckConstraint(condition=Q(population__gte=0), name="place_population_not_negative"),
        ]
        indexes = [
            models.Index(fields=["country", "admin1"]),
            # The map's town labels (casualties.selectors.map.map_labels): the places in a box populous
            # enough to be named, a fraction of the gazetteer, without reading it all on every map.
            models.Index(
                fields=["lat", "lon"],
                condition=Q(population__gte=LABELLED_POPULATION_MIN),
                name="place_labelled_lat_lon",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"
