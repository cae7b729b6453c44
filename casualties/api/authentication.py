"""The API's token authentication, against stored digests (casualties/services/tokens.py).

Its own module, apart from the token views in auth.py: REST_FRAMEWORK names this class,
and DRF imports it while rest_framework.views itself is being imported.
"""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from casualties.services.tokens import api_token_check


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, checked against the stored digests."""

    def authenticate_credentials(self, key: str):
        token = api_token_check(key=key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return token.user, token
