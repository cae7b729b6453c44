"""Every model has an admin, and its pages open for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from casualties.models import (
    ApiToken,
    ReferenceDataset,
    ReferenceEvent,
    ReferenceHeader,
    ReviewMarker,
    rollups,
    versions,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("reports", "casualties")
# Tables that database triggers keep (the counts, equal to the incidents; the data version): no one edits
# them, so no admin.
DERIVED = {model for model in apps.get_models() if model.__module__ in (rollups.__name__, versions.__name__)}


def test_every_model_of_ours_is_in_the_admin():
    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")}
    assert ours
    assert len(DERIVED) == 6  # day, month, all-time, month x world, month x division; the data version
    assert ours - DERIVED <= set(admin.site._registry)
    assert not DERIVED & set(admin.site._registry)


def test_admin_pages_open(admin_client):
    claim = ClaimFactory()
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        # API tokens are issued to their owner only (the API), never in the admin, a superuser's included.
        # Reference datasets, their events and their headers come from `manage.py import_dataset` only; review markers
        # from an analyst opening an incident's page.
        adding = 403 if model in (ApiToken, ReferenceDataset, ReferenceEvent, ReferenceHeader, ReviewMarker) else 200
        assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == adding, info
    incident_url = reverse("admin:casualties_incident_change", args=[claim.incident_id])
    assert admin_client.get(incident_url).status_code == 200
    history_url = reverse("admin:casualties_incident_history", args=[claim.incident_id])
    assert admin_client.get(history_url).status_code == 200
