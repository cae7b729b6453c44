"""Admin1.display_name: the name readers use ("Rural Damascus" for GeoNames' "Rif-dimashq"), filled for every
division already loaded. The rule is casualties.display_names, the one the loader and Admin1.save() use."""

from django.db import migrations, models


def fill_display_names(apps, schema_editor):
    from casualties.display_names import admin1_display_name

    Admin1 = apps.get_model("casualties", "Admin1")
    divisions = list(Admin1.objects.only("id", "country", "name"))
    for division in divisions:
        division.display_name = admin1_display_name(country=division.country, name=division.name)
    Admin1.objects.bulk_update(divisions, ["display_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0011_incident_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="admin1",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="The name readers use (Rural Damascus for Rif-dimashq), shown in the page, charts and exports",
                max_length=200,
            ),
        ),
        migrations.RunPython(fill_display_names, migrations.RunPython.noop),
    ]
