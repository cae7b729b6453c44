"""The engine's vocabularies and the record's choices are one list: nothing is filed that the record cannot hold."""

import dataclasses

import pytest

from casualties import models
from reports.extraction import contract

PAIRS = [
    (contract.EventType, models.EventType),
    (contract.Victims, models.Victims),
    (contract.DatePrecision, models.DatePrecision),
    (contract.LocationPrecision, models.LocationPrecision),
]


@pytest.mark.parametrize(("vocabulary", "choices"), PAIRS, ids=[vocabulary.__name__ for vocabulary, _ in PAIRS])
def test_every_engine_value_is_a_model_choice_and_back(vocabulary, choices) -> None:
    assert [member.value for member in vocabulary] == choices.values
    assert [member.name for member in vocabulary] == choices.names
    for member in vocabulary:
        assert choices(member.value).label  # each has a label of its own
        assert member == choices[member.name]


def test_the_model_fields_use_the_derived_choices() -> None:
    fields = {field.name: field for field in models.Claim._meta.get_fields()}
    for name, choices in (
        ("event_type", models.EventType),
        ("victims", models.Victims),
        ("date_precision", models.DatePrecision),
    ):
        assert fields[name].choices == choices.choices
    location = models.Incident._meta.get_field("location_precision")
    assert location.choices == models.LocationPrecision.choices


def test_the_engine_figures_are_the_record_count_fields() -> None:
    assert [field.name for field in dataclasses.fields(contract.Figures)] == list(models.COUNT_FIELDS)
