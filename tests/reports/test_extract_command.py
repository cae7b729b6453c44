"""`manage.py extract` prints the engine's incidents per article, with or without a database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = """Title: Market strike
Published: 2015-11-30

An air strike on a market in Ariha, in Idlib governorate, killed 31 civilians on Sunday, rescuers said.
"""


@pytest.mark.django_db
def test_it_prints_one_json_line_per_article(tmp_path, capsys):
    (tmp_path / "ariha.txt").write_text(ARTICLE)
    records = [
        {"id": "r1", "published": "2016-01-04", "text": "Shelling killed four people in Douma yesterday."},
        {"id": "r2", "published": "2016-01-04", "text": "The weather was fine."},
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n")
    call_command("extract", str(tmp_path / "ariha.txt"), str(tmp_path / "batch.jsonl"))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["ariha", "r1", "r2"]
    (ariha,) = lines[0]["incidents"]
    assert (ariha["admin1"], ariha["killed_max"], ariha["date_start"]) == ("Idlib", 31, "2015-11-29")
    assert ARTICLE.split("\n\n", 1)[1][ariha["evidence_start"] : ariha["evidence_end"]] == ariha["evidence"]
    assert lines[1]["incidents"][0]["date_start"] == "2016-01-03"
    assert lines[2]["incidents"] == []


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="could not be read"):
        call_command("extract", str(tmp_path / "missing.txt"))


def test_it_needs_no_database(tmp_path):
    (tmp_path / "ariha.txt").write_text(ARTICLE)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never-created' / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "extract", str(tmp_path / "ariha.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["incidents"][0]["killed_max"] == 31
