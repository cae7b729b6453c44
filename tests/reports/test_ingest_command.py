"""`manage.py ingest` with the real extraction engine, in-process (the embedded default)."""

import json

import pytest
from django.core.management import CommandError, call_command

from casualties.models import Incident
from reports.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = """Title: Strike on Ariha market
Published: 2015-11-30
Source: Test Desk

An air strike hit the market in the town of Ariha in Idlib governorate on Sunday, killing {n} civilians,
local rescue workers said.
"""


def _ingest(*paths, capsys):
    call_command("ingest", *map(str, paths), verbosity=1)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_a_folder_is_ingested_and_summarised(tmp_path, capsys):
    (tmp_path / "one.txt").write_text(ARTICLE.format(n=40))
    (tmp_path / "two.txt").write_text(ARTICLE.format(n=44))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    out, _ = _ingest(tmp_path, capsys=capsys)
    assert "Articles: 2 new, 0 already known, 0 duplicate, 0 failed" in out
    assert "Incidents: 1 created, 1 joined." in out
    incident = Incident.objects.get()
    assert (incident.country, incident.admin1.name, incident.killed_min, incident.killed_max) == ("SY", "Idlib", 40, 44)
    assert incident.claims.count() == 2


def test_ingesting_the_same_folder_again_changes_nothing(tmp_path, capsys):
    (tmp_path / "one.txt").write_text(ARTICLE.format(n=40))
    _ingest(tmp_path, capsys=capsys)
    before = list(Incident.objects.values_list("id", "killed_min", "killed_max", "updated_at"))
    out, _ = _ingest(tmp_path, capsys=capsys)
    assert "Articles: 0 new, 1 already known" in out
    assert list(Incident.objects.values_list("id", "killed_min", "killed_max", "updated_at")) == before


def test_bad_records_are_reported_and_the_rest_goes_on(tmp_path, capsys):
    good = {"id": "g", "published": "2015-11-30", "text": ARTICLE.format(n=12).split("\n\n", 1)[1]}
    lines = [
        json.dumps(good),
        json.dumps({"id": "e", "published": "2015-11-30", "text": ""}),
        json.dumps({"id": "d", "published": "30/11/2015", "text": "Four people were killed."}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02\xff binary")
    out, err = _ingest(tmp_path, capsys=capsys)
    assert "Articles: 1 new" in out
    assert "(article 2): the article has no text" in err
    assert "(article 3): publication date '30/11/2015' is not YYYY-MM-DD" in err
    assert "junk.txt" in err
    assert Article.objects.count() == 1


def test_a_missing_path_is_a_clear_error():
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest", "/nonexistent/folder", verbosity=0)


def test_a_file_longer_than_a_chunk_is_stored_chunk_by_chunk_with_its_bad_records_named(tmp_path, capsys, settings):
    settings.INGEST_BATCH_SIZE = 2
    body = ARTICLE.split("\n\n", 1)[1]
    records = [{"id": str(n), "published": f"2015-{n + 1:02}-15", "text": body.format(n=n + 3)} for n in range(5)]
    records.insert(3, {"id": "bad", "published": "2015-11-30", "text": ""})
    records.append(dict(records[0]))  # the first article again, in a later chunk
    (tmp_path / "batch.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out, err = _ingest(tmp_path, capsys=capsys)
    assert "Articles: 5 new, 0 already known, 0 duplicate, 0 failed, 0 still pending, 1 rejected." in out
    assert "(article 4): the article has no text" in err
    assert Article.objects.filter(status="extracted").count() == 5
    assert sorted(Incident.objects.values_list("killed_max", flat=True)) == [3, 4, 5, 6, 7]
