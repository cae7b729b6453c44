"""Their row stored compactly: the header's names once (ReferenceHeader), each event's cells as a list.

`ReferenceEvent.fields` (a JSON object per event, 860 of its 1,042 bytes) becomes `header` + `cells`; the model's
`fields` property pairs them again. The stored rows are converted both ways: on PostgreSQL by SQL (a million
rows in one statement each way), elsewhere in batches through the historical models.

A JSON object's keys come back in jsonb's own order on PostgreSQL (by length, then bytes), not in the order of
their export's header: the converted rows get a header in that order, which gives the same `fields`.
"""

# ruff: noqa: S608 (the table names below are the models', never input)
import hashlib

import django.db.models.deletion
from django.db import migrations, models

import casualties.models.reference

BATCH = 2000


def _digest(names: list[str]) -> str:
    return hashlib.md5("\x1f".join(names).encode(), usedforsecurity=False).hexdigest()


def _tables(apps) -> tuple[str, str]:
    return (
        apps.get_model("casualties", "ReferenceEvent")._meta.db_table,
        apps.get_model("casualties", "ReferenceHeader")._meta.db_table,
    )


def rows_to_cells(apps, schema_editor):
    events, headers = _tables(apps)
    if schema_editor.connection.vendor == "postgresql":
        names = "ARRAY(SELECT jsonb_object_keys(e.fields))"
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {headers} (names, digest) SELECT to_jsonb(names), md5(array_to_string(names, chr(31))) "
                f"FROM (SELECT DISTINCT {names} AS names FROM {events} AS e) AS distinct_names "
                f"ON CONFLICT (digest) DO NOTHING"
            )
            # jsonb_each_text walks the keys in the order jsonb_object_keys gives them.
            cursor.execute(
                f"UPDATE {events} AS e SET header_id = h.id, "
                f"cells = ARRAY(SELECT value FROM jsonb_each_text(e.fields)) "
                f"FROM {headers} AS h WHERE h.digest = md5(array_to_string({names}, chr(31)))"
            )
        return
    ReferenceEvent = apps.get_model("casualties", "ReferenceEvent")
    ReferenceHeader = apps.get_model("casualties", "ReferenceHeader")
    found: dict[tuple[str, ...], int] = {}
    batch = []
    for event in ReferenceEvent.objects.only("pk", "fields").order_by("pk").iterator(chunk_size=BATCH):
        names = tuple(event.fields)
        if names not in found:
            header, _created = ReferenceHeader.objects.get_or_create(
                digest=_digest(list(names)), defaults={"names": list(names)}
            )
            found[names] = header.pk
        event.header_id, event.cells = found[names], list(event.fields.values())
        batch.append(event)
        if len(batch) == BATCH:
            ReferenceEvent.objects.bulk_update(batch, ["header", "cells"])
            batch = []
    ReferenceEvent.objects.bulk_update(batch, ["header", "cells"])


def cells_to_rows(apps, schema_editor):
    events, headers = _tables(apps)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {events} AS e SET fields = jsonb_object(ARRAY(SELECT jsonb_array_elements_text(h.names)), "
                f"e.cells) FROM {headers} AS h WHERE h.id = e.header_id"
            )
        return
    ReferenceEvent = apps.get_model("casualties", "ReferenceEvent")
    batch = []
    for event in ReferenceEvent.objects.select_related("header").order_by("pk").iterator(chunk_size=BATCH):
        event.fields = dict(zip(event.header.names, event.cells, strict=True))
        batch.append(event)
        if len(batch) == BATCH:
            ReferenceEvent.objects.bulk_update(batch, ["fields"])
            batch = []
    ReferenceEvent.objects.bulk_update(batch, ["fields"])


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0015_import_reference_keys_unchecked"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceHeader",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("names", models.JSONField()),
                ("digest", models.CharField(max_length=32, unique=True)),
            ],
        ),
        migrations.AddField(
            model_name="referenceevent",
            name="cells",
            field=casualties.models.reference.CellsField(default=list),
        ),
        migrations.AddField(
            model_name="referenceevent",
            name="header",
            field=models.ForeignKey(
                null=True,
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casualties.referenceheader",
            ),
        ),
        migrations.RunPython(rows_to_cells, cells_to_rows, elidable=False),
        migrations.RemoveField(
            model_name="referenceevent",
            name="fields",
        ),
        migrations.AlterField(
            model_name="referenceevent",
            name="header",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casualties.referenceheader",
            ),
        ),
    ]
