"""factory_boy factories for the models and users; each builds a valid row by default."""

import datetime
import hashlib

import factory
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from casualties.models import Admin1, Claim, Incident, LocationPrecision, Place
from casualties.selectors.places import place_search_keys
from casualties.services.roles import ADMINS, ANALYSTS, VIEWERS
from casualties.services.tokens import api_token_issue
from reports.models import Article, Source

PASSWORD = "a-long-test-password"


def _in_groups(*names: str) -> factory.PostGeneration:
    def add(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            user.groups.add(*(Group.objects.get(name=name) for name in names))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with PASSWORD and, by trait, a role: `UserFactory(analyst=True)`.

    Roles are the groups casualties/services/roles.py keeps after migrate, given the way an
    admin gives them. Admins are staff (the admin site needs it); a superuser holds no
    group, only the flags.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)

    class Params:
        viewer = factory.Trait(role=_in_groups(VIEWERS))
        analyst = factory.Trait(role=_in_groups(ANALYSTS))
        admin = factory.Trait(role=_in_groups(ADMINS), is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


def token_client(user: User) -> APIClient:
    """An API client sending `user`'s token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


class Admin1Factory(factory.django.DjangoModelFactory):
    class Meta:
        model = Admin1
        django_get_or_create = ("country", "code")

    country = "SY"
    code = "12"
    name = "Idlib"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    geonameid = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"Village {n}")
    ascii_name = factory.SelfAttribute("name")
    country = "SY"
    admin1 = factory.SubFactory(Admin1Factory)
    lat = 35.8
    lon = 36.6


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Report {n}")
    source = factory.SubFactory(SourceFactory)
    text = factory.Sequence(lambda n: f"Report number {n}: an air strike killed 4 people on Monday.")
    text_sha256 = factory.LazyAttribute(lambda article: hashlib.sha256(article.text.encode()).hexdigest())
    published_at = factory.LazyFunction(lambda: datetime.datetime(2015, 12, 23, tzinfo=datetime.UTC))


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    date_start = datetime.date(2015, 10, 15)
    date_end = datetime.date(2015, 10, 15)
    country = "SY"
    admin1 = factory.SubFactory(Admin1Factory)
    location_precision = LocationPrecision.ADMIN1
    killed_min = 10
    killed_max = 12
    event_type = "air_drone_strike"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    incident = factory.SubFactory(IncidentFactory)
    article = factory.SubFactory(ArticleFactory)
    date_start = factory.SelfAttribute("incident.date_start")
    date_end = factory.SelfAttribute("incident.date_end")
    killed_min = 10
    killed_max = 10
    evidence = "an air strike killed 4 people on Monday."
    evidence_start = 0
    evidence_end = 40
    extractor_version = "test"
    confidence = 0.9


class SearchablePlaceFactory(PlaceFactory):
    """A place that place_search finds: its search keys are built from its names, as the gazetteer loader does."""

    alternate_names = factory.LazyFunction(list)
    search_keys = factory.LazyAttribute(
        lambda place: place_search_keys([place.name, place.ascii_name, *place.alternate_names])
    )


class PlacedIncidentFactory(IncidentFactory):
    """An incident located to a place, with the place's point."""

    place = factory.SubFactory(SearchablePlaceFactory)
    admin1 = factory.SelfAttribute("place.admin1")
    place_name = factory.SelfAttribute("place.name")
    lat = factory.SelfAttribute("place.lat")
    lon = factory.SelfAttribute("place.lon")
    location_precision = LocationPrecision.PLACE
