from django.db import migrations, models

from casualties.services.data_version import data_version_triggers_drop, data_version_triggers_install


def install(apps, schema_editor):
    apps.get_model("casualties", "DataVersion").objects.create(id=1, version=0)
    data_version_triggers_install(schema_editor=schema_editor)


def uninstall(apps, schema_editor):
    data_version_triggers_drop(schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0013_rollups_month_division"),
        ("reports", "0004_intake_source_grade"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="data_version_one_row")],
            },
        ),
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(
                condition=models.Q(("population__gte", 5000)), fields=["lat", "lon"], name="place_labelled_lat_lon"
            ),
        ),
    ]
