"""Feedback and "You said, we did": the buttons, the screens and the work behind residents'
feedback, officers' answers and themes, the after-meeting check-in and the digest. Handlers in
`handlers/` parse and call into here; jobs call it too."""
