"""The public pages (flows.md §0 and §7): home, about, the guides, contact, cookies, the
language switch, logout, /health/, the pages of services still to come, and the error pages.
Their templates are in csam_portal/templates/csam_portal/. They may use every app."""
