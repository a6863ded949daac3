"""Approving claims: the officers' buttons, the claim card, the finance export and the work of
deciding, paying, asking and nudging. Handlers in `handlers/` parse and call into here; jobs too."""
