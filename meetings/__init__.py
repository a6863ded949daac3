"""Meetings: the time poll, the time and the replies to it, reminders, attendance and the notices
that go with each. Rules and work over the repositories, rendering in views; no handlers."""
