"""The access managers' pages, one module per use case; `urls.py` imports the modules.

- designation: the GAP designation's wizards (standard and exceptional) and screen 4;
- enterprises: the enterprises a person manages and each one's page;
- co_gaps: naming and removing co-GAPs;
- domain_managers: the GAs per domain and their addresses, the paged GAP history;
- who_manages: «Qui gère nos accès ?», for anyone with a role in the enterprise;
- exceptional: an exceptional request's «Finalisation», document and status pages;
- social_security: the social security's home, RAE page, a qualité's registration and
  «Utilisateurs», removing co-GLs;
- local_managers: the wizards that change a qualité's GL and add a co-GL;
- common: the session's keys and the person check the others share.
"""
