"""The nudge planner: steps, what the calendar says, the reps' preferences and ``now``
in; the nudges that are due out. Pure: no clock, no database, no Slack.

The planner runs again and again (the scheduler calls it every minute or so). Each run
returns only nudges whose condition holds at ``now`` and whose dedupe key was not
planned before (``planned_keys``), so a nudge is planned once per step and reason
however often it runs and however many processes run it; the database's unique
``nudge.dedupe_key`` settles a race between two planners.

Rules (each nudge says why, quotes the evidence and offers the fix):

- nothing for a step that is done or dropped, and no vague or unacknowledged nudge
  about a conversation that ended in a clear no;
- vague: right after analysis; unacknowledged: ``unacknowledged_after`` later if
  still not confirmed;
- for meetings, once the calendar has a word: no invite ``no_invite_after`` the
  conversation, invite not accepted ``not_accepted_after`` it was sent, declined,
  cancelled or moved at once; none for a meeting already past;
- overdue: a deliverable, homework, callback or decision past its due (a day-only
  due at the end of that day);
- trigger window: ``window_warning`` (at most a quarter of the window) before a
  committed response window closes;
- pattern: one note a week when most of the rep's last ``pattern_calls`` calls ended
  unsecured (a clear no is not a failure);
- post-meeting: a DM with the verdict for each conversation that arrived by mail or
  as a file, within ``post_meeting_within`` of its analysis, at once (it answers the
  rep's own forward: no quiet hours, digest or cap); it covers the vague nudges of its
  steps, which are then not sent apart;
- quiet hours in the rep's zone push a nudge to their end; a snoozed step waits; with
  the digest preference everything but declined, cancelled and moved waits for the
  digest time and goes out grouped; at most ``daily_cap`` single nudges a rep a local
  day, the rest (most urgent first) move to the next day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.nudges import messages
from bot.nudges.model import (
    PRIORITY,
    URGENT,
    VAGUE_FINDINGS,
    CalendarState,
    ConversationFacts,
    NudgeReason,
    PlannedNudge,
    Preferences,
    RepFacts,
    StepFacts,
    StepState,
)

MEETING = "meeting"
POST_MEETING_SOURCES = frozenset({"email", "gmail", "file", "attachment"})
POST_MEETING_WITHIN = timedelta(days=1)
_CALENDAR_AT_ONCE = {
    CalendarState.DECLINED: NudgeReason.DECLINED,
    CalendarState.CANCELLED: NudgeReason.CANCELLED,
    CalendarState.MOVED: NudgeReason.MOVED,
}


def dedupe_key(step_id: int, reason: NudgeReason) -> str:
    return f"step:{step_id}:{reason}"


def post_meeting_key(conversation_id: int) -> str:
    return f"conversation:{conversation_id}:{NudgeReason.POST_MEETING}"


def post_meetings(
    conversations: Iterable[ConversationFacts], now: datetime
) -> dict[int, PlannedNudge]:
    """The post-meeting DMs due, by conversation id."""
    due: dict[int, PlannedNudge] = {}
    for talk in conversations:
        if talk.source not in POST_MEETING_SOURCES:
            continue
        if not talk.analysed_at <= now < talk.analysed_at + POST_MEETING_WITHIN:
            continue
        due[talk.conversation_id] = PlannedNudge(
            dedupe_key=post_meeting_key(talk.conversation_id),
            rep_id=talk.rep_id,
            step_id=None,
            reason=NudgeReason.POST_MEETING,
            planned_for=talk.analysed_at.astimezone(ZoneInfo("UTC")),
            why="The verdict on your conversation.",
            evidence="",
            fix="",
        )
    return due


def pattern_key(rep_id: int, week: date) -> str:
    year, number, _ = week.isocalendar()
    return f"rep:{rep_id}:pattern:{year}-W{number:02d}"


def plan(
    steps: Iterable[StepFacts],
    reps: Mapping[int, RepFacts],
    now: datetime,
    *,
    planned_keys: frozenset[str] | set[str] = frozenset(),
    planned_per_day: Mapping[tuple[int, date], int] | None = None,
    conversations: Iterable[ConversationFacts] = (),
) -> list[PlannedNudge]:
    """The nudges due at ``now`` that were not planned before, each with its send time.

    ``planned_per_day`` counts the single (not digest) nudges already planned for a
    rep on a local day, so the daily cap holds across runs. A vague nudge that a
    post-meeting DM covers comes back with ``covered=True``: record it, do not send it.
    """
    default = RepFacts(rep_id=0)
    dms = post_meetings(conversations, now)
    planned: list[PlannedNudge] = [n for n in dms.values() if n.dedupe_key not in planned_keys]
    raw: list[tuple[NudgeReason, StepFacts | None, int, str, str, str]] = []
    for step in steps:
        for reason in reasons_for(step, reps.get(step.rep_id, default).preferences, now):
            key = dedupe_key(step.step_id, reason)
            if reason == NudgeReason.VAGUE and step.conversation_id in dms:
                if key not in planned_keys:
                    planned.append(_covered(step, key))
                continue
            if key not in planned_keys:
                raw.append((reason, step, step.rep_id, key, "", ""))
    for rep in reps.values():
        note = pattern_note(rep, now)
        if note is not None and note[0] not in planned_keys:
            key, why, fix = note
            raw.append((NudgeReason.PATTERN, None, rep.rep_id, key, why, fix))
    raw.sort(key=lambda r: (r[2], PRIORITY.index(r[0]), r[1].step_id if r[1] else 0))

    counts: dict[tuple[int, date], int] = dict(planned_per_day or {})
    for reason, about, rep_id, key, why, fix in raw:
        prefs = reps.get(rep_id, default).preferences
        at = now if about is None or not about.snoozed_until else max(now, about.snoozed_until)
        digest = prefs.digest and reason not in URGENT
        if digest:
            when = next_digest_time(at, prefs)
        else:
            when = capped(out_of_quiet(at, prefs), rep_id, prefs, counts)
        if about is not None:
            why = messages.why(reason, about, prefs.tz)
            fix = messages.fix(reason, about, prefs.tz)
        planned.append(
            PlannedNudge(
                dedupe_key=key,
                rep_id=rep_id,
                step_id=about.step_id if about else None,
                reason=reason,
                planned_for=when.astimezone(ZoneInfo("UTC")),
                why=why,
                evidence=messages.quote(about.evidence) if about else "",
                fix=fix,
                digest=digest,
            )
        )
    return planned


def _covered(step: StepFacts, key: str) -> PlannedNudge:
    return PlannedNudge(
        dedupe_key=key,
        rep_id=step.rep_id,
        step_id=step.step_id,
        reason=NudgeReason.VAGUE,
        planned_for=step.analysed_at.astimezone(ZoneInfo("UTC")),
        why="",
        evidence="",
        fix="",
        covered=True,
    )


def reasons_for(step: StepFacts, prefs: Preferences, now: datetime) -> list[NudgeReason]:
    """Every reason that holds for ``step`` at ``now``."""
    if step.state != StepState.OPEN:
        return []
    found: list[NudgeReason] = []
    vague = bool(VAGUE_FINDINGS.intersection(step.findings))
    if vague and not step.clear_no and now >= step.analysed_at:
        found.append(NudgeReason.VAGUE)
    if (
        not vague
        and not step.clear_no
        and not step.acknowledged
        and step.calendar != CalendarState.ACCEPTED
        and now >= step.analysed_at + prefs.unacknowledged_after
    ):
        found.append(NudgeReason.UNACKNOWLEDGED)
    if step.kind == MEETING and step.calendar is not None:
        reason = _calendar_reason(step, prefs, now)
        if reason is not None:
            found.append(reason)
    if step.kind != MEETING and step.due is not None and now >= overdue_at(step, prefs.tz):
        found.append(NudgeReason.OVERDUE)
    end = step.window_ends_at
    if end is not None and now < end:
        warning = prefs.window_warning
        if step.window is not None:
            warning = min(warning, step.window / 4)
        if now >= end - warning:
            found.append(NudgeReason.TRIGGER_WINDOW)
    return found


def _calendar_reason(step: StepFacts, prefs: Preferences, now: datetime) -> NudgeReason | None:
    assert step.calendar is not None
    if step.calendar in _CALENDAR_AT_ONCE:
        return _CALENDAR_AT_ONCE[step.calendar]
    upcoming = step.due is None or step.due > now
    if not upcoming:
        return None
    if step.calendar == CalendarState.NO_INVITE:
        if now >= step.conversation_at + prefs.no_invite_after:
            return NudgeReason.NO_INVITE
    elif step.calendar in (CalendarState.AWAITING, CalendarState.TENTATIVE):
        since = step.calendar_changed_at or step.conversation_at
        if now >= since + prefs.not_accepted_after:
            return NudgeReason.NOT_ACCEPTED
    return None


def overdue_at(step: StepFacts, tz: str) -> datetime:
    """When the step is overdue: its due, or the end of its day when only the day is known."""
    assert step.due is not None
    if not step.due_is_date:
        return step.due
    day = step.due.astimezone(ZoneInfo(tz)).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))


def pattern_note(rep: RepFacts, now: datetime) -> tuple[str, str, str] | None:
    """(dedupe key, why, fix) of this week's pattern note, when it is due."""
    prefs = rep.preferences
    recent = list(rep.recent[: prefs.pattern_calls])
    if len(recent) < prefs.pattern_calls:
        return None
    unsecured = sum(1 for o in recent if not o.secured and not o.clear_no)
    if unsecured * 2 <= len(recent):
        return None
    zone = ZoneInfo(prefs.tz)
    today = now.astimezone(zone).date()
    week_start = today - timedelta(days=today.weekday())
    note_day = week_start + timedelta(days=prefs.pattern_weekday)
    if now < datetime.combine(note_day, prefs.digest_at, tzinfo=zone):
        return None
    return (
        pattern_key(rep.rep_id, week_start),
        messages.pattern_sentence(recent),
        messages.pattern_fix(recent),
    )


def in_quiet_hours(moment: datetime, prefs: Preferences) -> bool:
    return out_of_quiet(moment, prefs) != moment


def out_of_quiet(moment: datetime, prefs: Preferences) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (the rep's wall clock)."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return moment
    zone = ZoneInfo(prefs.tz)
    local = moment.astimezone(zone)
    clock = local.timetz().replace(tzinfo=None)
    if start < end:  # e.g. 12:00-13:00
        quiet = start <= clock < end
        end_day = local.date()
    else:  # across midnight, e.g. 19:00-08:00
        quiet = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not quiet:
        return moment
    return datetime.combine(end_day, end, tzinfo=zone)


def next_digest_time(moment: datetime, prefs: Preferences) -> datetime:
    """The first digest time (the rep's ``digest_at``) at or after ``moment``."""
    zone = ZoneInfo(prefs.tz)
    local = moment.astimezone(zone)
    candidate = datetime.combine(local.date(), prefs.digest_at, tzinfo=zone)
    if candidate < moment:
        candidate = datetime.combine(local.date() + timedelta(days=1), prefs.digest_at, tzinfo=zone)
    return out_of_quiet(candidate, prefs)


def capped(
    when: datetime, rep_id: int, prefs: Preferences, counts: dict[tuple[int, date], int]
) -> datetime:
    """``when``, or the first later morning (the digest time) with room under the cap."""
    zone = ZoneInfo(prefs.tz)
    for _ in range(366):
        day = when.astimezone(zone).date()
        if counts.get((rep_id, day), 0) < prefs.daily_cap:
            counts[(rep_id, day)] = counts.get((rep_id, day), 0) + 1
            return when
        morning = datetime.combine(day + timedelta(days=1), prefs.digest_at, tzinfo=zone)
        when = out_of_quiet(morning, prefs)
    return when


def digest_groups(nudges: Iterable[PlannedNudge]) -> list[list[PlannedNudge]]:
    """Nudges as messages: digest nudges of one rep at one time together, others alone."""
    groups: dict[tuple[int, datetime], list[PlannedNudge]] = {}
    singles: list[list[PlannedNudge]] = []
    for nudge in nudges:
        if nudge.digest:
            groups.setdefault((nudge.rep_id, nudge.planned_for), []).append(nudge)
        else:
            singles.append([nudge])
    grouped = [sorted(g, key=lambda n: PRIORITY.index(n.reason)) for g in groups.values()]
    return sorted(singles + grouped, key=lambda g: (g[0].planned_for, g[0].rep_id))
