"""Button declarations that more than one feature shows (each says who may press it)."""
