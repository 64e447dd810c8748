"""Block Kit builders: pure functions from the Slack view model (``bot.slack.model``)
to message and view payloads, within Slack's limits (``common``)."""

from bot.slack.blocks.analysis import analysis_message, post_meeting_message
from bot.slack.blocks.home import home_group, home_view
from bot.slack.blocks.messages import (
    digest_message,
    done_message,
    error_message,
    help_message,
    list_message,
    notes_wanted_message,
    nudge_message,
    pattern_message,
    team_message,
    welcome_message,
)
from bot.slack.blocks.modals import paste_modal, preferences_modal, set_due_modal

__all__ = [
    "analysis_message",
    "digest_message",
    "done_message",
    "error_message",
    "help_message",
    "home_group",
    "home_view",
    "list_message",
    "notes_wanted_message",
    "nudge_message",
    "paste_modal",
    "pattern_message",
    "post_meeting_message",
    "preferences_modal",
    "set_due_modal",
    "team_message",
    "welcome_message",
]
