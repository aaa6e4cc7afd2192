"""What the register tells the apps built on it, which enterprises must not import."""

from django.dispatch import Signal

# Sent by services.enterprise_remove_from_register, inside the import's transaction, with
# `enterprise` and `actor`: the register no longer lists an enterprise the portal keeps. A
# receiver's writes and e-mails belong to that transaction (access_managers tells the GAP).
enterprise_removed_from_register = Signal()
