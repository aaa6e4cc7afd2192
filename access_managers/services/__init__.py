"""Every change to registrations and access managers, one module per use case: a transaction, an
audit record per change, the e-mails through the outbox. Callers import the module they need
(`from access_managers.services import co_gaps`); this package re-exports nothing.

- designation: the GAP's designation (standard procedure), its e-mails, the notice of an
  enterprise the register no longer lists;
- co_gaps: the co-GAPs the GAP names and removes;
- domain_managers: the GAs per domain and their addresses, which the GAP and co-GAPs manage;
- exceptional_requests: the exceptional procedure, from the request to its approval, rejection
  or expiry, and the limit on its anonymous look-ups;
- qualities: the qualités an enterprise registers in the social security;
- local_managers: a qualité's GL (changed, never removed) and co-GLs (added, removed);
- personal_data: a person's own addresses in a qualité they belong to.
"""
