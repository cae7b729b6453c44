"""One number that moves on whenever anything the dashboard shows is written: the key of its cached answers.

Database triggers (`casualties.services.data_version`) add one to `version` in the
same transaction as every INSERT, UPDATE, DELETE and TRUNCATE on the tables the
dashboard and its JSON read, so a reader that sees the new number also sees the
new rows; `casualties.selectors.data_version` keys the cached page parts by it.
"""

from django.db import models

# The one row's primary key.
DATA_VERSION_ID = 1


class DataVersion(models.Model):
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=DATA_VERSION_ID), name="data_version_one_row")]

    def __str__(self) -> str:
        return f"data version {self.version}"
