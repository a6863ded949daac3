"""Claims: the buttons, the words and documents, and the work behind a resident's claim for
costs and time (what may be claimed, mileage against the tax year, what a meeting pays,
submitting). Handlers in `handlers/` parse and call into here."""
