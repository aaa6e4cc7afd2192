"""What the national register tells the apps built on it, which users must not import."""

from django.dispatch import Signal

# Sent by services.persons.person_import, inside the import's transaction, with `actor`: the
# persons' names may have changed (access_managers refreshes the copies it sorts by).
persons_imported = Signal()
