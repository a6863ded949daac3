"""Questions both ways: a resident asks about an opportunity, a meeting or a group, its
organisers answer, and officers write to the person behind any feedback."""
