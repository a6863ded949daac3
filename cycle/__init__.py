"""Working Together for Change: a group's cycle from question to review, step by step."""
