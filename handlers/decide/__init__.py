"""Deciding together: proposals, votes, answers and the decision log."""
