"""Measuring with people: success the group defines and the Working Together for Change cycle."""
