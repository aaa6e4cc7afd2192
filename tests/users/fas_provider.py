"""CSAM's FAS for the tests: a real OpenID Connect provider (pyop) that signs its ID tokens with
RS256 and names the person's NISS in `egovNRN`.

The portal's own calls to its token, JWKS and userinfo endpoints reach it through `responses`;
the browser's visits to its authorization and end-session endpoints are `authorize`, `cancel`
and `end_session`. It keeps one browser's session at FAS: once the person has identified there,
the next authorization request is answered at once, as single sign-on does.
"""

import json
from urllib.parse import urlencode, urlsplit

import jwt
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwkest.jwk import RSAKey, import_rsa_key
from oic.oic.message import AuthorizationErrorResponse, EndSessionRequest, IdToken
from pyop.authz_state import AuthorizationState
from pyop.exceptions import BearerTokenError, InvalidAccessToken, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

ISSUER = "https://fas.test"
CLIENT_ID, CLIENT_SECRET = "csam-portal", "fas-test-secret"
PORTAL = "http://testserver"
ENDPOINTS = {
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
    "jwks_uri": f"{ISSUER}/jwks",
    "end_session_endpoint": f"{ISSUER}/logout",
}


def signing_key(kid: str = "fas-1") -> RSAKey:
    """A fresh RS256 key, made by cryptography, in the form pyop signs with."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return RSAKey(key=import_rsa_key(pem), alg="RS256", use="sig", kid=kid)


class Fas:
    def __init__(self, mock: responses.RequestsMock):
        self.people: dict[str, dict] = {}  # FAS's own user id → the claims it vouches for
        self.signed_in: str | None = None  # whom FAS's session in this browser is for
        self.id_token_changes: dict = {}  # claims the token endpoint alters: forged tokens
        self.provider = Provider(
            signing_key(),
            {
                "issuer": ISSUER,
                **ENDPOINTS,
                "scopes_supported": ["openid", "profile"],
                "subject_types_supported": ["public"],
            },
            AuthorizationState(HashBasedSubjectIdentifierFactory("fas-test-salt")),
            {
                CLIENT_ID: {
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{PORTAL}/oidc/callback/"],
                    "post_logout_redirect_uris": [f"{PORTAL}/"],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "client_secret_post",
                }
            },
            Userinfo(self.people),
            extra_scopes={"egovNRN": ["egovNRN"]},
        )
        self.published_keys = self.provider.jwks  # a key FAS signs with later is a foreign one
        self.mock = mock
        mock.add_callback(responses.POST, ENDPOINTS["token_endpoint"], callback=self._token)
        mock.add_callback(responses.GET, ENDPOINTS["jwks_uri"], callback=self._jwks)
        mock.add_callback(responses.GET, ENDPOINTS["userinfo_endpoint"], callback=self._userinfo)

    # --- the browser at FAS -------------------------------------------------------------

    def identify(self, niss: str, **claims) -> None:
        """The person proves at FAS who they are (eID, itsme…): FAS now has a session for them."""
        self.people[niss] = {"egovNRN": niss, **claims} if niss else claims
        self.signed_in = niss

    def authorize(self, url: str) -> str | None:
        """The authorization endpoint: back to the portal with a code for the person FAS has a
        session for; None when there is none, and FAS asks the person to identify."""
        request = self.provider.parse_authentication_request(urlsplit(url).query)
        if self.signed_in is None:
            return None
        return self.provider.authorize(request, self.signed_in).request(request["redirect_uri"])

    def cancel(self, url: str, error: str = "access_denied") -> str:
        """«Annuler» at FAS (or any other error answer of the authorization endpoint)."""
        request = self.provider.parse_authentication_request(urlsplit(url).query)
        answer = AuthorizationErrorResponse(error=error, state=request["state"])
        return answer.request(request["redirect_uri"])

    def end_session(self, url: str) -> str | None:
        """The end-session endpoint: FAS forgets the person, and sends the browser back."""
        request = EndSessionRequest().from_urlencoded(urlsplit(url).query)
        self.provider.logout_user(end_session_request=request)
        self.signed_in = None
        return self.provider.do_post_logout_redirect(request)

    # --- the portal's calls to FAS ------------------------------------------------------

    def redeem(self, code: str, *, client_secret: str = CLIENT_SECRET) -> dict:
        """The token endpoint, called as the portal calls it."""
        body = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": f"{PORTAL}/oidc/callback/",
            "client_id": CLIENT_ID,
            "client_secret": client_secret,
        }
        return self.provider.handle_token_request(urlencode(body)).to_dict()

    def _token(self, request):
        try:
            answer = self.provider.handle_token_request(request.body, request.headers).to_dict()
        except OAuthError as error:  # RFC 6749 §5.2: invalid_grant, invalid_client…
            status = 401 if error.oauth_error == "invalid_client" else 400
            return _json(status, {"error": error.oauth_error, "error_description": str(error)})
        if self.id_token_changes:
            answer["id_token"] = self._altered(answer["id_token"])
        return _json(200, answer)

    def _altered(self, id_token: str) -> str:
        """The same ID token with `id_token_changes`, signed again by FAS's key."""
        claims = jwt.decode(id_token, options={"verify_signature": False})
        claims.update(self.id_token_changes)
        return IdToken(**claims).to_jwt([self.provider.signing_key], "RS256")

    def _jwks(self, request):
        return _json(200, self.published_keys)

    def _userinfo(self, request):
        try:
            answer = self.provider.handle_userinfo_request(None, request.headers)
        except (BearerTokenError, InvalidAccessToken) as error:
            return _json(401, {"error": "invalid_token", "error_description": str(error)})
        return _json(200, answer.to_dict())


def _json(status: int, body) -> tuple[int, dict, str]:
    return status, {"Content-Type": "application/json"}, json.dumps(body)
