"""API tokens, kept as a digest: nobody, an admin or a database reader, can read a key back."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A user's API key (one a user), stored as its SHA-256 digest.

    The key itself is shown once, to its owner, when it is issued
    (casualties/services/tokens.py). Keys are 160 random bits, so an unsalted fast hash
    is enough: there is nothing to guess from a digest. `prefix`, the key's first
    characters, tells tokens apart in the admin without giving the key away.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
