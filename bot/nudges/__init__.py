"""Nudges: which reminders a rep should get and when (``planner``, pure), and what
each says (``messages``, pure)."""
