"""Opportunities: the form, who gets it, answers and what happened next."""
