"""The analysis engine: a conversation in, next steps and verdicts out.

Pure and deterministic: no network, no database, no environment. ``analyze`` takes a
``Document`` (see ``bot.loaders``) and returns an ``Analysis``.
"""

from __future__ import annotations

from bot.engine.analysis import analyze
from bot.engine.model import Analysis, Document, Step, Tier

__all__ = ["Analysis", "Document", "Step", "Tier", "analyze"]
