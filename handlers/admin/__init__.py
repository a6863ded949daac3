"""Admins: staff roles and invites, the audit log, parked jobs."""
