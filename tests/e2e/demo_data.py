"""Demo-like data for the browser tests and bench/dashboard.py: Syrian governorates, towns, incidents and claims.

Built with the factories, so every row is valid under the model's constraints:
incidents located to a place have its point, those located only to a
governorate or a country have none.
"""

import datetime
import random
from dataclasses import dataclass

from casualties.models import Admin1, Incident, LocationPrecision
from tests.factories import Admin1Factory, ArticleFactory, ClaimFactory, SearchablePlaceFactory, SourceFactory

# GeoNames admin1 code, name, centre.
GOVERNORATES = [
    ("12", "Idlib", 35.80, 36.60),
    ("09", "Aleppo", 36.20, 37.40),
    ("11", "Homs", 34.60, 37.60),
    ("13", "Damascus", 33.51, 36.29),
    ("08", "Rif Dimashq", 33.55, 36.60),
    ("07", "Deir ez-Zor", 35.10, 40.20),
    ("04", "Raqqa", 35.95, 38.90),
    ("10", "Hama", 35.20, 36.90),
    ("06", "Daraa", 32.70, 36.20),
    ("02", "Latakia", 35.60, 36.00),
    ("14", "Tartus", 34.90, 36.00),
]
# Name, governorate code, lat, lon, population.
TOWNS = [
    ("Ariha", "12", 35.813, 36.609, 40000),
    ("Maarat al-Numan", "12", 35.644, 36.672, 60000),
    ("Kafranbel", "12", 35.614, 36.561, 15000),
    ("Haas", "12", 35.573, 36.603, 8000),
    ("Aleppo", "09", 36.202, 37.155, 1800000),
    ("Manbij", "09", 36.528, 37.955, 100000),
    ("Kobani", "09", 36.891, 38.354, 45000),
    ("Homs", "11", 34.727, 36.723, 650000),
    ("Douma", "08", 33.572, 36.402, 110000),
    ("Deir ez-Zor", "07", 35.336, 40.141, 210000),
    ("Raqqa", "04", 35.953, 39.009, 220000),
    ("Jableh", "02", 35.361, 35.926, 80000),
    ("Tartus", "14", 34.889, 35.887, 115000),
]
EVENT_TYPES = ["air_drone_strike", "shelling_artillery_missile", "remote_explosive", "armed_clash", "attack"]
ACTORS = ["", "government forces", "Russian aircraft", "coalition aircraft", "armed opposition", "ISIS"]


@dataclass
class Demo:
    admin1: dict[str, Admin1]
    incidents: list[Incident]


def _claim(incident: Incident, *, sentence: str, source: str, index: int) -> None:
    before = f"Report {index}. Local witnesses described the scene. "
    text = before + sentence + " Rescue workers were still searching the rubble late in the day."
    article = ArticleFactory(
        title=f"{incident.get_event_type_display()} in {incident.place_name or incident.admin1 or incident.country}",
        text=text,
        source=SourceFactory(name=source),
        url=f"https://news.example/{index}",
        published_at=datetime.datetime.combine(incident.date_end, datetime.time(12), tzinfo=datetime.UTC),
    )
    ClaimFactory(
        incident=incident,
        article=article,
        killed_min=incident.killed_min,
        killed_max=incident.killed_max,
        injured_max=incident.injured_max,
        place_name=incident.place_name,
        evidence=sentence,
        evidence_start=len(before),
        evidence_end=len(before) + len(sentence),
        opened_incident=True,
    )


def build_demo(*, random_incidents: int = 120, seed: int = 7, claims: bool = True) -> Demo:
    """Governorates, towns and `random_incidents` + 4 fixed incidents between Oct 2015 and Sep 2016."""
    rng = random.Random(seed)
    admin1 = {
        code: Admin1Factory(country="SY", code=code, name=name, lat=lat, lon=lon)
        for code, name, lat, lon in GOVERNORATES
    }
    towns = [
        SearchablePlaceFactory(name=name, admin1=admin1[code], lat=lat, lon=lon, population=population)
        for name, code, lat, lon, population in TOWNS
    ]
    incidents: list[Incident] = []
    # Fixed incidents the tests look for.
    ariha = towns[0]
    incidents.append(
        Incident.objects.create(
            date_start=datetime.date(2015, 10, 20),
            date_end=datetime.date(2015, 10, 20),
            country="SY",
            admin1=admin1["12"],
            place=ariha,
            place_name="Ariha",
            lat=ariha.lat,
            lon=ariha.lon,
            location_precision=LocationPrecision.PLACE,
            killed_min=40,
            killed_max=46,
            injured_max=70,
            children_killed=9,
            event_type="air_drone_strike",
            actor="Russian aircraft",
            victims="civilians",
        )
    )
    incidents.append(
        Incident.objects.create(
            date_start=datetime.date(2015, 10, 21),
            date_end=datetime.date(2015, 10, 21),
            country="SY",
            admin1=admin1["12"],
            place=ariha,
            place_name="Ariha",
            lat=ariha.lat,
            lon=ariha.lon,
            location_precision=LocationPrecision.PLACE,
            killed_min=44,
            killed_max=44,
            injured_max=60,
            event_type="air_drone_strike",
            victims="civilians",
        )
    )
    incidents.append(
        Incident.objects.create(
            date_start=datetime.date(2016, 2, 15),
            date_end=datetime.date(2016, 2, 15),
            country="SY",
            admin1=admin1["12"],
            location_precision=LocationPrecision.ADMIN1,
            killed_min=12,
            killed_max=15,
            event_type="shelling_artillery_missile",
        )
    )
    incidents.append(
        Incident.objects.create(
            date_start=datetime.date(2016, 3, 1),
            date_end=datetime.date(2016, 3, 31),
            date_precision="month",
            country="SY",
            location_precision=LocationPrecision.COUNTRY,
            killed_min=300,
            killed_max=300,
            aggregate=True,
            event_type="other",
        )
    )
    start = datetime.date(2015, 10, 1)
    for _ in range(random_incidents):
        day = start + datetime.timedelta(days=rng.randrange(0, 365))
        killed = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 40])
        low = max(0, killed - rng.choice([0, 0, 1, 2]))
        kind = rng.random()
        fields = {
            "date_start": day,
            "date_end": day,
            "country": "SY",
            "killed_min": low,
            "killed_max": killed,
            "injured_max": rng.choice([None, 0, 3, 5, 10, 20]),
            "event_type": rng.choice(EVENT_TYPES),
            "actor": rng.choice(ACTORS),
            "victims": rng.choice(["civilians", "combatants", "unspecified"]),
        }
        if kind < 0.8:
            town = rng.choice(towns)
            jitter_lat, jitter_lon = rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05)
            fields.update(
                admin1=town.admin1,
                place=town,
                place_name=town.name,
                lat=round(town.lat + jitter_lat, 4),
                lon=round(town.lon + jitter_lon, 4),
                location_precision=LocationPrecision.PLACE,
            )
        else:
            fields.update(admin1=rng.choice(list(admin1.values())), location_precision=LocationPrecision.ADMIN1)
        incidents.append(Incident.objects.create(**fields))
    if claims:
        for index, incident in enumerate(incidents):
            where = incident.place_name or (incident.admin1.name if incident.admin1_id else "Syria")
            sentence = (
                f"At least {incident.killed_max} people were killed in {where} on {incident.date_start:%d %B %Y}."
            )
            _claim(incident, sentence=sentence, source=f"Demo Outlet {index % 4 + 1}", index=index)
    return Demo(admin1=admin1, incidents=incidents)
