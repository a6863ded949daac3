"""People who take part through staff (by phone, on paper or through a partner organisation):
how they take part and agreed, and the work of adding them. Handlers in `handlers/` parse and
call into here; what staff then do for them goes through each feature's own use case."""
