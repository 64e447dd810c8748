"""A conversation's verdict over time, as front ends show it: one record per change,
and the sentence a person reads ("secured since Thu 19 Nov 16:40: Priya's reply")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.vocabulary import VerdictCause
from storage.models import VerdictChangeRead


@dataclass(frozen=True)
class VerdictChangeRecord:
    """One change of a conversation's verdict (the first analysis included)."""

    id: int
    conversation_id: int
    step_id: int | None
    at: datetime  # aware, in the conversation's zone
    secured_before: bool | None  # None: the first analysis
    secured_after: bool
    tier_before: str | None
    tier_after: str
    cause: VerdictCause
    evidence: str | None
    who: str | None
    reason: str

    @classmethod
    def of(cls, row: VerdictChangeRead, tz: str) -> VerdictChangeRecord:
        return cls(
            row.id,
            row.conversation_id,
            row.step_id,
            row.at.astimezone(ZoneInfo(tz)),
            row.secured_before,
            row.secured_after,
            row.tier_before,
            row.tier_after,
            VerdictCause(row.cause),
            row.evidence,
            row.who,
            row.reason,
        )

    @property
    def source(self) -> str:
        """What the change came from, in a few words."""
        who = self.who or "the other side"
        if self.cause == VerdictCause.REPLY:
            return f"{who}'s reply" if self.who else "a reply in the thread"
        if self.cause == VerdictCause.CALENDAR:
            if self.secured_after and self.who:
                return f"calendar: accepted by {self.who}"
            return f"calendar: {self.evidence or 'the invite changed'}"
        if self.cause in (VerdictCause.MANUAL, VerdictCause.SLACK):
            where = "on the command line" if self.cause == VerdictCause.MANUAL else "in Slack"
            return f"marked by {self.who or 'a rep'} {where}"
        if self.cause == VerdictCause.REANALYSIS:
            return "read again"
        return "the conversation itself"

    @property
    def line(self) -> str:
        """``secured since Thu 19 Nov 16:40: Priya's reply`` and the words, if any."""
        state = "secured" if self.secured_after else "not secured"
        words = (
            f' "{self.evidence}"' if self.evidence and self.cause != VerdictCause.CALENDAR else ""
        )
        return f"{state} ({self.tier_after}) since {self.at:%a %d %b %H:%M}: {self.source}{words}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "step_id": self.step_id,
            "secured_before": self.secured_before,
            "secured_after": self.secured_after,
            "tier_before": self.tier_before,
            "tier_after": self.tier_after,
            "cause": str(self.cause),
            "evidence": self.evidence,
            "who": self.who,
            "reason": self.reason,
        }
