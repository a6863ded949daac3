"""Co-production Bot: wiring, configuration, i18n and scheduling."""
