"""API tokens as digests (review of 9600419, finding 2): DRF's authtoken kept keys in clear, and
its admin showed them. Existing keys are hashed into the new table, so they keep working, and the
clear keys are deleted."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_existing_keys(apps, schema_editor):
    old = apps.get_model("authtoken", "Token")
    new = apps.get_model("casualties", "ApiToken")
    for token in old.objects.all().iterator():
        new.objects.create(
            user_id=token.user_id,
            prefix=token.key[:8],
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            created=token.created,
        )
    old.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("casualties", "0005_map_and_governorate_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "prefix",
                    models.CharField(help_text="The key's first characters, to tell tokens apart.", max_length=8),
                ),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("last_used", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_token",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "API token"},
        ),
        # Keys cannot be recovered from digests: going back leaves users to obtain new tokens.
        migrations.RunPython(hash_existing_keys, migrations.RunPython.noop),
    ]
