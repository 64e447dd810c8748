"""The application layer: the use cases every front end calls.

``Application`` (``app.py``) holds the database, the clock and the zone policy; the
ingestion service is ``ingest.py``; the records it returns are in ``records.py``.
Layers, top to bottom (``tests/test_layers.py`` pins the arrows):

    bot.cli, integrations, bot.slack      front ends: parse, call, render
    bot.application                       use cases
    storage, bot.loaders, bot.mail        storage and reading inputs
    bot.engine, bot.zones, bot.vocabulary the pure core
"""

from bot.application.app import Application, utc_now
from bot.application.ingest import IngestResult
from bot.application.records import (
    CalendarRecord,
    ConversationDetail,
    ConversationSummary,
    InputRecord,
    RepRecord,
    StepRecord,
)

__all__ = [
    "Application",
    "CalendarRecord",
    "ConversationDetail",
    "ConversationSummary",
    "IngestResult",
    "InputRecord",
    "RepRecord",
    "StepRecord",
    "utc_now",
]
