"""What a calendar status does to a step: acceptance is acknowledgment, an invite gives
a timeless step its time, a decline or cancellation unsecures it, unknown changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.calendar.effects import apply_to_analysis, apply_to_step, calendar_effect
from bot.calendar.model import Attendee, CalendarCheck, CalendarEvent, CalendarStatus, PartStat
from bot.engine import analyze
from bot.engine.model import AckSource
from bot.loaders import load_text

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
START = datetime(2026, 11, 25, 10, 0, tzinfo=LA)
PRIYA = Attendee("priya@acme.example", PartStat.ACCEPTED, "Priya Shah")
EVENT = CalendarEvent(uid="u1", start=START, title="Review the proposal", attendees=(PRIYA,))

UNANSWERED = """Dana: Let's review the proposal together on Wednesday at 10am.
Priya: I'll have a look at the deck before then.
"""
NO_TIME = """Dana: Let's set up a demo for your operations team.
Priya: Sounds good.
"""
AGREED = """Dana: Can we review the proposal on Wednesday at 10am?
Priya: Wednesday at 10 works, see you then.
"""


def analysed(text: str):
    at = datetime(2026, 11, 19, 15, 0, tzinfo=LA)
    document = load_text(text, at=at, tz="America/Los_Angeles", rep="Dana", source="test")
    analysis = analyze(document)
    meetings = [i for i, s in enumerate(analysis.steps) if s.kind == "meeting"]
    assert len(meetings) == 1, analysis.steps
    return analysis, meetings[0]


def check(status: CalendarStatus, event: CalendarEvent | None = EVENT) -> CalendarCheck:
    answered = event.attendees if event else ()
    return CalendarCheck(status, checked_at=NOW, event=event, answered=answered)


def test_acceptance_is_acknowledgment_and_secures_the_step() -> None:
    analysis, i = analysed(UNANSWERED)
    step = analysis.steps[i]
    assert not step.acknowledged and not step.secured
    after = apply_to_step(step, check(CalendarStatus.ACCEPTED))
    assert after.acknowledged and after.ack_source == AckSource.CALENDAR
    assert after.ack_evidence is not None and after.ack_evidence.speaker == "priya@acme.example"
    assert after.secured
    assert "not_acknowledged" not in [f.code for f in after.findings]
    assert step.ack_source is None  # the input is not changed
    whole = apply_to_analysis(analysis, {i: check(CalendarStatus.ACCEPTED)})
    assert whole.next_steps_secured and whole.tier == "gold"
    assert not analysis.next_steps_secured


def test_an_invite_gives_a_step_without_time_its_due() -> None:
    analysis, i = analysed(NO_TIME)
    step = analysis.steps[i]
    assert step.due is None
    waiting = CalendarEvent(
        uid="u2", start=START, attendees=(Attendee("priya@acme.example", PartStat.NEEDS_ACTION),)
    )
    after = apply_to_step(step, check(CalendarStatus.AWAITING, waiting))
    assert after.due == START
    assert "no_time" not in [f.code for f in after.findings]
    assert "invite_not_accepted" in [f.code for f in after.findings]


def test_declined_and_cancelled_unsecure_a_step_the_text_secured() -> None:
    analysis, i = analysed(AGREED)
    assert analysis.steps[i].secured and analysis.next_steps_secured
    for status, code in (
        (CalendarStatus.DECLINED, "invite_declined"),
        (CalendarStatus.CANCELLED, "invite_cancelled"),
    ):
        after = apply_to_analysis(analysis, {i: check(status)})
        assert not after.steps[i].secured
        assert code in [f.code for f in after.steps[i].findings]
        assert not after.next_steps_secured and after.tier == "none"
        assert f"was {status}" in after.reason


def test_unknown_changes_nothing_but_says_why() -> None:
    analysis, i = analysed(AGREED)
    failed = CalendarCheck(CalendarStatus.UNKNOWN, checked_at=NOW, reason="token revoked")
    after = apply_to_analysis(analysis, {i: failed})
    assert after.steps[i].secured == analysis.steps[i].secured
    assert after.tier == analysis.tier
    assert [f.code for f in after.steps[i].findings][-1] == "calendar_unknown"


def test_effect_on_plain_values() -> None:
    accepted = check(CalendarStatus.ACCEPTED)
    effect = calendar_effect(accepted, has_due=False, acknowledged=False, ack_source=None)
    assert effect.acknowledge and effect.due == START and not effect.unsecure
    # A yes in the text stays the evidence; the calendar does not replace it.
    kept = calendar_effect(accepted, has_due=True, acknowledged=True, ack_source="text")
    assert not kept.acknowledge and kept.due is None
    declined = calendar_effect(
        check(CalendarStatus.DECLINED), has_due=True, acknowledged=True, ack_source="calendar"
    )
    assert declined.unsecure and not declined.acknowledge
