from django.db import migrations, models

from casualties.services.rollups import incident_rollups_rebuild, rollup_triggers_drop, rollup_triggers_install

_TABLES = ("incidentalltimecount", "incidentdaycount", "incidentmonthcount", "incidentmonthworldcount")
_COLUMNS = ("incidents_with_killed", "incidents_with_injured", "incidents_with_children", "incidents_with_women")


def install(apps, schema_editor):
    # The triggers now also count the incidents that give each figure; recount what is already there.
    rollup_triggers_install(schema_editor=schema_editor)
    incident_rollups_rebuild()


def uninstall(apps, schema_editor):
    rollup_triggers_drop(schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0006_api_token"),
    ]

    operations = [
        # Off while the count tables change: SQLite rebuilds a table to add a column and checks the triggers then.
        migrations.RunPython(uninstall, migrations.RunPython.noop),
        *(
            migrations.AddField(model_name=table, name=column, field=models.BigIntegerField(default=0))
            for table in _TABLES
            for column in _COLUMNS
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(aggregate=True),
                fields=["-date_start", "-id"],
                name="incident_aggregate_newest",
            ),
        ),
        # Going back drops the triggers (they would write the columns that go): the counts then stand still
        # until migrating forward again reinstalls them and recounts.
        migrations.RunPython(install, uninstall),
    ]
