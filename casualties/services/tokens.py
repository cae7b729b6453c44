"""Issuing, checking and revoking API tokens. Only digests are stored (casualties.models.tokens)."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from casualties.models.tokens import ApiToken

PREFIX_LENGTH = 8
# last_used is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_issue(*, user) -> str:
    """A new key for `user`, replacing any key they had (it stops working at once).

    Returns the key: the only time it exists outside the client. 40 hex characters,
    like the keys of DRF's authtoken that came before, so old and new look alike.
    """
    key = secrets.token_hex(20)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, prefix=key[:PREFIX_LENGTH], digest=api_token_digest(key))
    return key


def api_token_revoke(*, user) -> bool:
    """Deletes `user`'s token; True when there was one."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_check(*, key: str) -> ApiToken | None:
    """The token whose key this is, with its user, or None; records when it was last used."""
    token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token
