"""The login and «Mes clés numériques» pages, one module per use case; `urls.py` imports the
modules.

- login: the login page and the one-step keys (eID, itsme, eIDAS, username + password);
- security_codes: the two-step keys (a code by e-mail, or from a mobile application);
- keys: «Mes clés numériques», activating and deactivating keys;
- fas: CSAM's FAS (OpenID Connect) login and callback;
- common: what the login views share.
"""
