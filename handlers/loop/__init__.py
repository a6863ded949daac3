"""Closing the loop: feedback, the officers’ inbox, "we did", questions both ways, /impact."""
