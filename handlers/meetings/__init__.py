"""Meetings: the time poll, invitations, papers, what is paid, the support list."""
