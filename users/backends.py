"""Authentication backends: the key simulators, and CSAM's FAS over OpenID Connect."""

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from csam_portal import numbers
from csam_portal.audit import Actor
from users import keys, services
from users.models import Person, User


class DigitalKeyBackend(BaseBackend):
    """`authenticate(request, method=<key>, **credentials)`: the key's simulator decides."""

    def authenticate(self, request, method=None, **credentials):
        verify = keys.VERIFIERS.get(method)
        if verify is None:
            return None
        user = verify(request, **credentials)
        return user if user is not None and user.is_active else None

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
        return niss is not None and Person.objects.filter(niss=niss).exists()

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
