"""Deciding together: the buttons, the screens and the work behind proposals, votes, outcomes,
co-leads and charters. Handlers in `handlers/` parse and call into here; jobs call it too."""
