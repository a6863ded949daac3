"""A person and their own things: joining, the profile, access needs, privacy rights, their record."""
