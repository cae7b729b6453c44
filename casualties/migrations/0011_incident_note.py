from django.db import migrations, models

from casualties.services.rollups import rollup_triggers_drop, rollup_triggers_install


def triggers_off(apps, schema_editor):
    rollup_triggers_drop(schema_editor=schema_editor)


def triggers_on(apps, schema_editor):
    rollup_triggers_install(schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0010_intake_two_person_confirmation"),
    ]

    operations = [
        # SQLite adds a NOT NULL column by rebuilding the incident table, which drops its triggers (and
        # would fire them for every copied row): off for the rebuild, back on after, counts untouched.
        migrations.RunPython(triggers_off, triggers_on),
        migrations.AddField(
            model_name="historicalincident",
            name="note",
            field=models.TextField(blank=True, db_default="", help_text="Analysts' note; not from any source"),
        ),
        migrations.AddField(
            model_name="incident",
            name="note",
            field=models.TextField(blank=True, db_default="", help_text="Analysts' note; not from any source"),
        ),
        migrations.RunPython(triggers_on, triggers_off),
    ]
