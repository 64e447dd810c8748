"""Asking for the notes of a meeting that left none: a meeting with people from outside
ended, and no transcript, notes or recap with them arrived. Pure: the meetings found in
the rep's calendar, the rep's preferences and ``now`` in; the asks to send out.

Each meeting is asked about once (its key: rep, event uid and start), out of the rep's
quiet hours, never in a digest (a late ask is worth less than none), and not at all
when it ended more than ``ASK_WITHIN`` ago: by then the rep has moved on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.nudges.model import NudgeReason, PlannedNudge, Preferences
from bot.nudges.planner import out_of_quiet

ASK_WITHIN = timedelta(days=2)


@dataclass(frozen=True)
class EndedMeeting:
    """A meeting from the rep's calendar that ended without notes."""

    uid: str
    title: str
    start: datetime  # aware
    end: datetime  # aware
    outsiders: tuple[str, ...]  # the other side's addresses


def notes_key(rep_id: int, meeting: EndedMeeting) -> str:
    return f"notes:{rep_id}:{meeting.uid}:{meeting.start.astimezone(UTC):%Y%m%dT%H%M}"


def notes_wanted(
    meetings: Iterable[EndedMeeting],
    rep_id: int,
    prefs: Preferences,
    now: datetime,
    *,
    planned_keys: frozenset[str] | set[str] = frozenset(),
) -> list[PlannedNudge]:
    """One ask per meeting not asked about before, oldest meeting first."""
    asks: list[PlannedNudge] = []
    for meeting in sorted(meetings, key=lambda m: m.end):
        key = notes_key(rep_id, meeting)
        if key in planned_keys or not meeting.outsiders:
            continue
        if not meeting.end <= now <= meeting.end + ASK_WITHIN:
            continue
        asks.append(
            PlannedNudge(
                dedupe_key=key,
                rep_id=rep_id,
                step_id=None,
                reason=NudgeReason.NOTES_WANTED,
                planned_for=out_of_quiet(now, prefs).astimezone(UTC),
                why=f"{meeting.title} ended and no notes or transcript arrived for it.",
                evidence="",
                fix="Paste your notes and I'll check the next step.",
            )
        )
    return asks


def meeting_detail(meeting: EndedMeeting) -> dict[str, object]:
    """What the stored nudge keeps of the meeting, to write the ask from later."""
    return {
        "uid": meeting.uid,
        "title": meeting.title,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "outsiders": list(meeting.outsiders),
    }


def meeting_of(detail: dict[str, object]) -> EndedMeeting:
    outsiders = detail.get("outsiders") or []
    return EndedMeeting(
        uid=str(detail["uid"]),
        title=str(detail["title"]),
        start=datetime.fromisoformat(str(detail["start"])),
        end=datetime.fromisoformat(str(detail["end"])),
        outsiders=tuple(str(o) for o in outsiders) if isinstance(outsiders, list) else (),
    )
