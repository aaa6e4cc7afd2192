"""State changes of persons and accounts, one module per use case: each in a transaction, with
its audit record. Callers import the module they need (`from users.services import accounts`);
this package re-exports nothing.

- accounts: accounts (first login, username + password, back office), the account's language;
- persons: the national register's import and the simulated cards;
- security_codes: the security codes and TOTP, activating and deactivating the keys;
- account_locks: the lockout's login counts and the account locks.
"""
