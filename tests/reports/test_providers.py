"""The wiring from reports to the apps above it: registered at start-up, loud when missing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from casualties.selectors.places import gazetteer_for_extraction
from casualties.services.filing import articles_file_incidents
from reports import providers, tasks
from reports.services import queueing


def test_casualties_registers_its_filer_and_gazetteer_at_start_up():
    assert providers.incident_filer() is articles_file_incidents
    assert providers.gazetteer_provider() is gazetteer_for_extraction


def test_reports_registers_the_tasks_its_services_queue_work_for():
    registered = queueing._tasks()
    assert registered.article_fetch is tasks.article_fetch
    assert registered.article_extract is tasks.article_extract
    assert registered.articles_extract is tasks.articles_extract
    assert registered.articles_extract_waiting is tasks.articles_extract_waiting


def test_nothing_registered_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(providers, "_registered", [])
    with pytest.raises(ImproperlyConfigured, match="no incident filer"):
        providers.incident_filer()
    with pytest.raises(ImproperlyConfigured, match=r"CasualtiesConfig\.ready"):
        providers.gazetteer_provider()
    monkeypatch.setattr(queueing, "_registered", [])
    with pytest.raises(ImproperlyConfigured, match="no tasks registered"):
        queueing.article_fetch_enqueue(article_id=1)
