"""Authentication backends: the key simulators, CSAM's FAS over OpenID Connect, and the back
office's username + password. Each counts its failures with `users.lockout`."""

from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from csam_portal import numbers
from csam_portal.audit import Actor
from users import keys, lockout, services
from users.models import Person, User


class DigitalKeyBackend(BaseBackend):
    """`authenticate(request, method=<key>, **credentials)`: the key's simulator decides."""

    def authenticate(self, request, method=None, **credentials):
        verify = keys.VERIFIERS.get(method)
        if verify is None:
            return None
        account = lockout.account_named(
            niss=credentials.get("niss"), username=credentials.get("username")
        )
        return lockout.authenticate(
            request,
            method=keys.KEY_OF.get(method, method),
            account=account,
            verify=lambda: verify(request, **credentials),
            allowed=lambda user: not user.is_staff,  # the back office logs in at /admin/ only
        )

    def get_user(self, user_id):
        return User.objects.select_related("person").filter(pk=user_id, is_active=True).first()


class FasBackend(OIDCAuthenticationBackend):
    """CSAM's FAS: the identity provider vouches for the person's NISS (OIDC_NISS_CLAIM).

    Only persons of the national register get in; their account is created at the first login.
    """

    def _niss(self, claims) -> str | None:
        try:
            return numbers.niss(str(claims.get(settings.OIDC_NISS_CLAIM, "")))
        except numbers.ValidationError:
            return None

    def verify_claims(self, claims) -> bool:
        niss = self._niss(claims)
        if niss is not None and not lockout.fas_allowed(self.request, niss=niss):
            return False
        verified = niss is not None and self._may_log_in(niss)
        if niss is not None and not verified:
            lockout.fas_failed(self.request, niss=niss)
        return verified

    def _may_log_in(self, niss: str) -> bool:
        """A person of the national register, whose account is not the back office's."""
        return Person.objects.filter(niss=niss).exclude(account__is_staff=True).exists()

    def filter_users_by_claims(self, claims):
        return User.objects.filter(person__niss=self._niss(claims), is_active=True)

    def create_user(self, claims):
        person = Person.objects.filter(niss=self._niss(claims)).first()
        if person is None:
            raise SuspiciousOperation("The identity provider named an unknown person.")
        actor = Actor.from_request(self.request, role="person") if self.request else None
        return services.account_for_person(person=person, actor=actor or Actor.system("fas"))

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
