"""Opportunities: the buttons, the words residents see and the work behind writing one,
broadcasting it, answering it and inviting the people interested. Handlers in `handlers/`
parse and call into here."""
