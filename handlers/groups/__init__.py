"""Groups: creating one, joining, its card, charter, updates and closing."""
