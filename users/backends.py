"""Authentication backends: the key simulators, CSAM's FAS over OpenID Connect, and the back
office's username + password. Each counts its failures with `users.lockout`."""

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from csam_portal.core import numbers
from csam_portal.core.audit import Actor
from users import fas, lockout, verifiers
from users.models import Person, User
from users.roles import Role
from users.services import accounts


class DigitalKeyBackend(BaseBackend):
    """`authenticate(request, method=<key>, **credentials)`: the key's simulator decides."""

    def authenticate(self, request, method=None, **credentials):
        verify = verifiers.VERIFIERS.get(method)
        if verify is None:
            return None
        account = lockout.account_named(
            niss=credentials.get("niss"), username=credentials.get("username")
        )
        return lockout.authenticate(
            request,
            method=verifiers.KEY_OF.get(method, method),
            account=account,
            verify=lambda: verify(request, **credentials),
            allowed=lambda user: not user.is_staff,  # the back office logs in at /admin/ only
        )

    def get_user(self, user_id):
        return User.objects.select_related("person").filter(pk=user_id, is_active=True).first()


class FasBackend(OIDCAuthenticationBackend):
    """CSAM's FAS: the identity provider vouches for the person's NISS (OIDC_NISS_CLAIM).

    Only persons of the national register get in; their account is created at the first login.
    Every way the provider's answer can fail raises `fas.FasLoginError`, which the callback view
    turns into the failure page: nothing of requests, PyJWT or the provider's JSON escapes.
    """

    def get_token(self, payload):
        try:
            token_info = super().get_token(payload)
        except requests.RequestException as error:  # e.g. invalid_grant, a wrong client secret
            raise fas.FasLoginError(_failure_of(error), f"token endpoint: {error!r}") from error
        if not isinstance(token_info, dict) or not isinstance(token_info.get("id_token"), str):
            raise fas.FasLoginError(fas.UNVERIFIED, "token endpoint: no id_token in its answer")
        return token_info

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except requests.RequestException as error:  # the JWKS endpoint
            raise fas.FasLoginError(_failure_of(error), f"JWKS endpoint: {error!r}") from error
        except (jwt.PyJWTError, SuspiciousOperation, KeyError, TypeError, ValueError) as error:
            # a bad signature, nonce, audience, issuer or lifetime; a malformed token or JWKS
            raise fas.FasLoginError(fas.UNVERIFIED, f"ID token: {error!r}") from error

    def get_payload_data(self, token, key):
        """The ID token's claims, once its signature, issuer, audience and lifetime are checked
        (OpenID Connect Core §3.1.3.7): a token issued to another client or by another provider
        does not log anyone in. The library itself checks neither `aud` nor `iss`."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:  # never "none", never HS with a public key
            raise SuspiciousOperation(f"The ID token is signed with {header.get('alg')!r}.")
        claims = jwt.decode(
            token,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER,
            leeway=settings.OIDC_LEEWAY,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party (azp).")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        try:
            claims = super().get_userinfo(access_token, id_token, payload)
        except requests.RequestException as error:
            raise fas.FasLoginError(_failure_of(error), f"userinfo endpoint: {error!r}") from error
        except (jwt.PyJWTError, SuspiciousOperation, KeyError, TypeError, ValueError) as error:
            raise fas.FasLoginError(fas.UNVERIFIED, f"userinfo: {error!r}") from error
        # OpenID Connect Core §5.3.2: the answer must be about the person of the ID token.
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise fas.FasLoginError(fas.UNVERIFIED, "userinfo: not about the ID token's sub")
        return claims

    def _niss(self, claims) -> str:
        value = claims.get(settings.OIDC_NISS_CLAIM)
        try:
            return numbers.niss(str(value or ""))
        except numbers.ValidationError as error:
            raise fas.FasLoginError(
                fas.INVALID_NISS, f"{settings.OIDC_NISS_CLAIM} is not a valid NISS"
            ) from error

    def verify_claims(self, claims) -> bool:
        niss = self._niss(claims)
        if not lockout.fas_allowed(self.request, niss=niss):
            raise fas.FasLoginError(fas.LOCKED, "failed FAS logins lock this NISS here", niss=niss)
        try:
            self._may_log_in(niss)
        except fas.FasLoginError:
            lockout.fas_failed(self.request, niss=niss)  # for this NISS here, never for all
            raise
        return True

    def _may_log_in(self, niss: str) -> None:
        """A person of the national register whose account is active and not the back
        office's (which logs in only at /admin/)."""
        account = User.objects.filter(person__niss=niss).only("is_active", "is_staff").first()
        if account is None and not Person.objects.filter(niss=niss).exists():
            raise fas.FasLoginError(
                fas.UNKNOWN_PERSON, "the NISS is not in the national register", niss=niss
            )
        if account is not None and account.is_staff:
            raise fas.FasLoginError(fas.REFUSED, "a back-office account", niss=niss)
        if account is not None and not account.is_active:
            raise fas.FasLoginError(fas.INACTIVE, "the account is deactivated", niss=niss)

    def filter_users_by_claims(self, claims):
        return User.objects.filter(person__niss=self._niss(claims), is_active=True)

    def create_user(self, claims):
        person = Person.objects.get(niss=self._niss(claims))  # verify_claims found it
        actor = Actor.from_request(self.request, role=Role.PERSON) if self.request else None
        return accounts.account_for_person(person=person, actor=actor or Actor.system("fas"))

    def update_user(self, user, claims):
        return user

    def get_user(self, user_id):
        return User.objects.select_related("person").filter(pk=user_id, is_active=True).first()


class StaffBackend(ModelBackend):
    """The back office's username + password, at /admin/: staff accounts only, never a portal
    key's credentials; counted by the lockout as the keys are (the same accounts' counts)."""

    def authenticate(self, request, username=None, password=None, method=None, **kwargs):
        if method is not None or username is None or password is None:
            return None
        return lockout.authenticate(
            request,
            method=lockout.ADMIN,
            account=lockout.account_named(username=username),
            verify=lambda: super(StaffBackend, self).authenticate(request, username, password),
            allowed=lambda user: user.is_staff,
        )


def _failure_of(error: requests.RequestException) -> fas.Failure:
    """Down, too slow (OIDC_TIMEOUT) or a 5xx is «did not answer»; a 4xx error answer (RFC 6749
    §5.2: invalid_grant, invalid_client) is a refusal; an answer that is not JSON is unverified."""
    status = error.response.status_code if error.response is not None else 0
    if isinstance(error, requests.ConnectionError | requests.Timeout) or status >= 500:
        return fas.UNAVAILABLE
    if isinstance(error, requests.HTTPError):
        return fas.REFUSED
    return fas.UNVERIFIED
