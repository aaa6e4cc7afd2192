"""The one shape of every term: a designation, or a membership of a qualité."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.models import person_key


class Term(models.Model):
    """A person's term: from `started_at` until `ended_at` (None while it lasts), made by
    `designated_by`. Ended terms stay: they are the history. Every designation and every
    membership of a qualité has this one shape."""

    person = person_key(_("personne"), db_column="niss", related_name="%(class)s_terms")
    started_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    designated_by = person_key(_("désigné par"), db_column="designated_by_niss")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at=None) | Q(ended_at__gte=models.F("started_at")),
                name="%(class)s_ends_after_start",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_at is None
