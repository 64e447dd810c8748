"""The ingestion service: raw input in, a stored and analysed conversation out.

The raw bytes are stored and committed first (``InboundMessage``, status received), then
parsed, analysed and stored. Any failure on the way, ours or unexpected, marks the input
failed with the message and the traceback and keeps the bytes for ``reprocess``; bad
input never raises. The same Message-ID or the same bytes again is a duplicate and adds
nothing. A later message of a stored thread (see ``storage.threads``) re-analyses the
whole thread and updates that conversation's steps in place.

Email attachments: transcripts and notes (.vtt, .srt, .txt, .md) become inputs of their
own (source "attachment") and conversations of their own; calendar parts (text/calendar,
.ics) are stored as inputs with source "ics" and handed to the calendar check
(``bot.application.calendar``), which reads them and rechecks the stored meeting steps;
so is an .ics file given directly. Neither is analysed as part of the email's text.

Whose side: an email is judged from the side of the registered rep found in it (who
forwarded it, sent it, or any author or addressee of a message in the thread), else the
rep given with the input (``--rep``), else the thread's rep. Without any, the loader
guesses (who forwarded it, else who wrote the first message): the analysis says
``rep_guessed`` and carries a warning, and the sender of the newest message is never
taken as the rep just for having sent it (a customer's reply saved from a mailbox).

The front ends call this through ``bot.application.Application``.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from bot.config import Settings
from bot.engine.model import Analysis
from bot.errors import EmptyInputError, IngestError, NextStepError, StorageError
from bot.mail.identity import content_hash as mail_content_hash
from bot.mail.parse import ParsedEmail, parse_email
from bot.vocabulary import ConversationSource, FileKind, IngestOutcome, InputSource, InputStatus
from bot.zones import machine_zone, zone_in_force
from storage.conversations import Origin, ThreadTakenError, save_analysis
from storage.models import Conversation, InboundMessage, Rep
from storage.repo import (
    add_inbound,
    find_inbound_duplicate,
    find_reps_by_email,
    inbound_children,
    normalise_address,
)
from storage.threads import (
    ThreadClues,
    find_thread,
    header_message_id,
    message_ids,
    set_text_keys,
    text_key,
)

log = logging.getLogger(__name__)

EMAIL_KINDS = (FileKind.EMAIL, FileKind.MAILBOX)
TRANSCRIPT_KINDS = (FileKind.TRANSCRIPT, FileKind.NOTES)
CALENDAR_TYPES = ("text/calendar", "application/ics")
INLINE_WORKER = "inline"  # the claim of an input analysed as soon as it is stored
INLINE_LEASE = timedelta(minutes=10)


@dataclass
class IngestResult:
    """What one ingest or reprocess did. ``previous_status`` is the stored input's
    status when this one is a duplicate of it (``failed``: it failed before)."""

    status: IngestOutcome
    inbound_id: int
    conversation_id: int | None
    error: str | None
    analysis: Analysis | None
    attachments: list[IngestResult] = field(default_factory=list)  # transcripts in an email
    previous_status: InputStatus | None = None


@dataclass
class _Done:
    status: IngestOutcome
    conversation_id: int | None
    analysis: Analysis | None
    children: list[InboundMessage] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    """A raw input stored for the queue: its id, and whether the same bytes were
    already stored (then nothing new was kept)."""

    inbound_id: int
    duplicate: bool
    previous_status: InputStatus | None = None


def store_raw(
    raw: bytes,
    *,
    source: str,
    source_id: str | None = None,
    filename: str | None = None,
    rep_email: str | None = None,
    at: datetime | None = None,
    session: Session,
    now: datetime,
    claim: tuple[str, datetime] | None = None,
) -> tuple[Stored, InboundMessage | None]:
    """Store ``raw`` and commit (status received), de-duplicated by its bytes only: the
    same Message-ID with another body is kept too. ``claim`` (worker, lease end) stores
    it already claimed, for a caller that analyses it at once. Raises StorageError when
    nothing could be stored."""
    if (filename or "").lower().endswith(".ics"):
        source = InputSource.CALENDAR  # an invitation or reply saved as a file
    email = _is_email(source, filename)
    content_hash = mail_content_hash(raw) if email else hashlib.sha256(raw).hexdigest()
    message_id = header_message_id(raw) if email else None
    inbound = InboundMessage(
        source=InputSource(source),
        source_id=source_id,
        message_id=message_id,
        content_hash=content_hash,
        filename=filename,
        raw=raw,
        received_at=now,
        occurred_at=at,
        rep_email=normalise_address(rep_email) if rep_email else None,
    )
    if claim is not None and inbound.source != InputSource.CALENDAR:
        inbound.status = InputStatus.PROCESSING
        inbound.claimed_by, inbound.lease_until = claim
    stored, duplicate = add_inbound(inbound, session=session)
    if duplicate:
        return _stored_twice(stored), None
    assert inbound.id is not None
    return Stored(inbound.id, duplicate=False), inbound


def _stored_twice(known: InboundMessage) -> Stored:
    assert known.id is not None
    return Stored(known.id, duplicate=True, previous_status=InputStatus(known.status))


def ingest_raw(
    raw: bytes,
    *,
    source: str,
    source_id: str | None = None,
    filename: str | None = None,
    rep_email: str | None = None,
    at: datetime | None = None,
    session: Session,
    settings: Settings,
    now: datetime,
) -> IngestResult:
    """Store ``raw``, then analyse it at once (``nextstep ingest``). ``at`` is when the
    conversation happened where the input cannot say (a file's modification time);
    email carries its Date. The input is stored claimed, so no worker takes it too."""
    stored, inbound = store_raw(
        raw,
        source=source,
        source_id=source_id,
        filename=filename,
        rep_email=rep_email,
        at=at,
        session=session,
        now=now,
        claim=(INLINE_WORKER, now + INLINE_LEASE),
    )
    if inbound is None:
        known = session.get(InboundMessage, stored.inbound_id)
        assert known is not None
        return _duplicate(known)
    return process_stored(inbound, session=session, settings=settings, now=now)


def process_stored(
    inbound: InboundMessage, *, session: Session, settings: Settings, now: datetime
) -> IngestResult:
    """Analyse a stored input (and route its calendar parts); the outcome is committed."""
    if inbound.source == InputSource.CALENDAR:
        return _route_calendar(inbound, session=session, settings=settings, now=now)
    result = _process(inbound, session=session, settings=settings, now=now)
    children = inbound_children(inbound.id, session=session)
    if any(c.source == InputSource.CALENDAR for c in children):
        _route_calendar(inbound, session=session, settings=settings, now=now)
    return result


def _route_calendar(
    inbound: InboundMessage, *, session: Session, settings: Settings, now: datetime
) -> IngestResult:
    """Calendar inputs (an .ics file, a mail's invitation or reply) go to the calendar
    check, which reads them and rechecks the stored meeting steps."""
    from bot.application.calendar import route_calendar_inputs

    assert inbound.id is not None
    inbound_id = inbound.id
    try:
        report = route_calendar_inputs(session=session, now=now, tz=settings.default_tz or "UTC")
    except Exception as error:  # the inputs stay stored: `nextstep calendar check` retries
        session.rollback()
        log.exception("calendar inputs not routed")
        why = f"Calendar check failed: {error}"
        return IngestResult(IngestOutcome.FAILED, inbound_id, None, why, None)
    failed = dict(report.failed).get(inbound_id)
    outcome = IngestOutcome.FAILED if failed else IngestOutcome.INGESTED
    return IngestResult(outcome, inbound_id, None, failed, None)


def reprocess(
    inbound_id: int, *, session: Session, settings: Settings, now: datetime
) -> IngestResult:
    """Run a stored input through parsing and analysis again (after a fix, a new rep
    time zone, a better engine); its conversation is updated in place."""
    inbound = session.get(InboundMessage, inbound_id)
    if inbound is None:
        raise NextStepError(f"No stored input has id {inbound_id}.")
    if inbound.source == InputSource.CALENDAR:
        raise NextStepError(f"Input #{inbound_id} is a calendar part; the calendar check reads it.")
    return _process(inbound, session=session, settings=settings, now=now)


def _duplicate(known: InboundMessage) -> IngestResult:
    assert known.id is not None
    before = InputStatus(known.status)
    error = known.error if before == InputStatus.FAILED else None
    return IngestResult(
        IngestOutcome.DUPLICATE, known.id, known.conversation_id, error, None, [], before
    )


def _is_email(source: str, filename: str | None) -> bool:
    return source in (InputSource.SMTP, InputSource.EMAIL, InputSource.GMAIL) or (
        FileKind.of(filename) in EMAIL_KINDS
    )


def _process(
    inbound: InboundMessage,
    *,
    session: Session,
    settings: Settings,
    now: datetime,
    retried: bool = False,
) -> IngestResult:
    assert inbound.id is not None
    inbound_id, attempt = inbound.id, inbound.attempts + 1
    try:
        done = _analyse(inbound, session=session, settings=settings, now=now)
        inbound.status = InputStatus.PROCESSED
        inbound.error = inbound.traceback = None
        inbound.attempts = attempt
        inbound.conversation_id = done.conversation_id
        session.add(inbound)
        session.commit()
    except (ThreadTakenError, IntegrityError) as error:
        # Another worker stored this thread's conversation a moment ago: read this
        # input again, once, to join it.
        session.rollback()
        if retried:
            return _failed(inbound_id, error, attempt, session=session)
        log.info("Input #%d: its thread was stored meanwhile; analysing it again", inbound_id)
        return _process(inbound, session=session, settings=settings, now=now, retried=True)
    except Exception as error:  # recorded with its traceback, the input kept for a retry
        session.rollback()
        return _failed(inbound_id, error, attempt, session=session)
    result = IngestResult(done.status, inbound_id, done.conversation_id, None, done.analysis)
    for child in done.children:
        result.attachments.append(_process(child, session=session, settings=settings, now=now))
    return result


def _failed(inbound_id: int, error: Exception, attempt: int, *, session: Session) -> IngestResult:
    if isinstance(error, NextStepError):
        message = error.message
    else:
        message = f"Unexpected error while processing: {type(error).__name__}: {error}"
    try:
        inbound = session.get(InboundMessage, inbound_id, populate_existing=True)
        assert inbound is not None
        inbound.status = InputStatus.FAILED
        inbound.error = message
        inbound.traceback = "".join(traceback.format_exception(error))
        inbound.attempts = attempt
        session.add(inbound)
        session.commit()
    except SQLAlchemyError as db_error:
        session.rollback()
        raise StorageError(
            f"Input #{inbound_id} failed ({message}) and so did recording it: {db_error}"
        ) from error
    return IngestResult(IngestOutcome.FAILED, inbound_id, inbound.conversation_id, message, None)


# --- parse and analyse -----------------------------------------------------------------


def _analyse(
    inbound: InboundMessage, *, session: Session, settings: Settings, now: datetime
) -> _Done:
    if _is_email(inbound.source, inbound.filename):
        return _analyse_email(inbound, session=session, settings=settings, now=now)
    return _analyse_file(inbound, session=session, settings=settings, now=now)


def _analyse_file(
    inbound: InboundMessage, *, session: Session, settings: Settings, now: datetime
) -> _Done:
    from bot.engine import analyze
    from bot.loaders import load_bytes

    origin = _origin(inbound, session=session)
    rep, address = _rep_for([inbound.rep_email], session=session)
    document = load_bytes(
        inbound.raw,
        filename=inbound.filename,
        at=inbound.occurred_at or inbound.received_at,
        tz=_zone_for(rep, address, origin, settings),
        rep=rep.display_name if rep else None,
        source=inbound.filename or inbound.source_id,
    )
    existing = None
    if inbound.conversation_id is not None:
        existing = session.get(Conversation, inbound.conversation_id)
    where = Origin(
        _conversation_source(origin),
        _source_id(inbound),
        None,
        rep.id if rep else None,
        frozenset({normalise_address(settings.bot_address)}),
    )
    return _store(analyze(document), existing, inbound, where, session=session, now=now)


def _analyse_email(
    inbound: InboundMessage, *, session: Session, settings: Settings, now: datetime
) -> _Done:
    from bot.engine import analyze
    from bot.loaders.email import document_from_email

    parsed = parse_email(inbound.raw)
    rep, address, existing, known = _rep_and_thread(
        inbound, parsed, settings=settings, session=session
    )
    if existing is not None and not (rep and rep.tz):
        tz = existing.tz  # the zone the thread was read in
    else:
        tz = _zone_for(rep, address, inbound.source, settings)
    if existing is not None and all(part.depth == 0 for part in parsed.parts):
        parsed = _with_history(parsed, existing, session=session)
    assert inbound.id is not None
    set_text_keys(inbound.id, _text_keys(parsed), session=session, replace=inbound.attempts > 0)
    children = _children(inbound, parsed, address if known else None, session=session, now=now)
    if existing is not None and _older_than(parsed, existing):
        # A message the stored thread already quotes, arriving late: keep it, linked.
        return _Done(IngestOutcome.UPDATED, existing.id, None, children)
    source = inbound.message_id or inbound.filename
    try:
        document = document_from_email(
            parsed, at=None, tz=tz, rep=address if known else None, source=source
        )
    except EmptyInputError:
        if not any(_is_transcript(a.filename) for a in parsed.attachments):
            raise
        return _Done(IngestOutcome.INGESTED, None, None, children)  # only its attachment has words
    where = Origin(
        _conversation_source(inbound.source),
        _source_id(inbound),
        _thread_key(parsed),
        rep.id if rep else None,
        frozenset({normalise_address(settings.bot_address)}),
    )
    done = _store(analyze(document), existing, inbound, where, session=session, now=now)
    done.children = children
    return done


def _rep_and_thread(
    inbound: InboundMessage, parsed: ParsedEmail, *, settings: Settings, session: Session
) -> tuple[Rep | None, str | None, Conversation | None, bool]:
    """The rep, their address, the thread it continues, and whether the rep is known
    (registered, given with the input, or the thread's) rather than to be guessed.

    The registered rep is looked for among who forwarded or sent it, then every author
    and addressee in the thread; else the address given with the input; else the
    thread's registered rep. Without any, an address (the sender's, or the one the
    thread was read with) is returned only to name in messages and to tell our domain
    from theirs: it is not taken as the rep, the loader guesses again."""
    sender = parsed.sender.email if parsed.sender else None
    rep, address = _rep_for([inbound.rep_email, sender], also=_everyone_in(parsed), session=session)
    known = rep is not None or inbound.rep_email is not None
    existing = _thread_of(inbound, parsed, rep, address, settings=settings, session=session)
    if existing is not None and rep is None:
        named = [p.get("email") for p in existing.participants if p.get("role") == "rep"]
        if existing.rep_id is not None:
            rep = session.get(Rep, existing.rep_id)
            known = True
        address = next((a for a in named if a), address)
    return rep, address, existing, known


def _everyone_in(parsed: ParsedEmail) -> list[str | None]:
    """Every author and addressee of every message in the thread, newest first."""
    found: list[str | None] = []
    for part in parsed.parts:
        boxes = [part.author, *part.to, *part.cc] if part.author else [*part.to, *part.cc]
        found += [box.email for box in boxes]
    return found


def _origin(inbound: InboundMessage, *, session: Session) -> str:
    """Where the input came from: an attachment comes from its email's source."""
    if inbound.parent_id is None:
        return inbound.source
    parent = session.get(InboundMessage, inbound.parent_id)
    return parent.source if parent is not None else inbound.source


def _rep_for(
    candidates: list[str | None], *, session: Session, also: list[str | None] | None = None
) -> tuple[Rep | None, str | None]:
    """The first registered rep among ``candidates`` then ``also`` (the addressees), and
    their address; else no rep, and the first candidate's address."""
    named = [normalise_address(a) for a in candidates if a]
    order = list(dict.fromkeys([*named, *(normalise_address(a) for a in also or [] if a)]))
    known = find_reps_by_email(order, session=session)
    for address in order:
        if address in known:
            return known[address], address
    return None, named[0] if named else None


def _zone_for(rep: Rep | None, address: str | None, origin: str, settings: Settings) -> str:
    """The zone in force (``bot.zones``): the rep's; else the configured default; else,
    for local files, this machine's. Mail from a rep without a zone is not guessed at:
    it fails until one is set."""
    local = origin in (InputSource.FILE, InputSource.CLI)
    zone = zone_in_force(
        rep_zone=rep.tz if rep is not None else None,
        default=settings.default_tz,
        machine=machine_zone if local else None,
    )
    if zone is not None:
        return zone
    register = f"`nextstep reps add {address or 'EMAIL'} --tz ZONE`"
    raise IngestError(
        f"No time zone is known for {address or 'the rep of this input'}. Set one with "
        f"{register} (or NEXTSTEP_DEFAULT_TZ), then run `nextstep reprocess --failed`."
    )


# --- threads ---------------------------------------------------------------------------


def _thread_of(
    inbound: InboundMessage,
    parsed: ParsedEmail,
    rep: Rep | None,
    address: str | None,
    *,
    settings: Settings,
    session: Session,
) -> Conversation | None:
    """The stored conversation this message belongs to, if any (see storage.threads)."""
    if inbound.conversation_id is not None:
        return session.get(Conversation, inbound.conversation_id)
    clues = ThreadClues(
        named_ids=message_ids(parsed.in_reply_to, *parsed.references),
        own_id=inbound.message_id,
        text_keys=_text_keys(parsed),
        subject=parsed.subject,
        domains=_counterpart_domains(parsed, address, settings),
        sent=parsed.date or inbound.received_at,
        rep_id=rep.id if rep else None,
        inbound_id=inbound.id,
    )
    return find_thread(clues, session=session)


def _older_than(parsed: ParsedEmail, conversation: Conversation) -> bool:
    sent = parsed.parts[0].date if parsed.parts and parsed.parts[0].date else parsed.date
    return sent is not None and sent < conversation.reference_time


def _text_keys(parsed: ParsedEmail) -> list[str]:
    """Keys of the text of every message in the email: its own and each one quoted."""
    return [key for key in (text_key(p.body) for p in parsed.parts) if key]


def _counterpart_domains(parsed: ParsedEmail, address: str | None, settings: Settings) -> list[str]:
    """Mail domains in the thread other than the rep's and the bot's, first seen first."""
    own = {a.rsplit("@", 1)[-1] for a in (address, settings.bot_address) if a and "@" in a}
    boxes = [parsed.sender] if parsed.sender else []
    for part in parsed.parts:
        boxes += [part.author, *part.to, *part.cc] if part.author else [*part.to, *part.cc]
    domains = [box.domain for box in boxes if box is not None and box.domain]
    return [d for d in dict.fromkeys(domains) if d not in own]


def _with_history(
    parsed: ParsedEmail, conversation: Conversation, *, session: Session
) -> ParsedEmail:
    """A reply that does not quote what it answers, with the thread's last stored
    message appended as its history, so the whole thread is analysed again."""
    if conversation.inbound_message_id is None:
        return parsed
    previous = session.get(InboundMessage, conversation.inbound_message_id)
    if previous is None or not _is_email(previous.source, previous.filename):
        return parsed
    try:
        older = parse_email(previous.raw)
    except NextStepError:
        return parsed
    history = tuple(replace(part, depth=part.depth + 1) for part in older.parts)
    return replace(parsed, parts=parsed.parts + history)


# --- attachments -------------------------------------------------------------------------


def _is_transcript(filename: str | None) -> bool:
    return FileKind.of(filename) in TRANSCRIPT_KINDS


def _children(
    inbound: InboundMessage,
    parsed: ParsedEmail,
    address: str | None,
    *,
    session: Session,
    now: datetime,
) -> list[InboundMessage]:
    """Store the email's transcripts and calendar parts as inputs of their own."""
    found: list[tuple[InputSource, str | None, bytes]] = []
    for attachment in parsed.attachments:
        name = (attachment.filename or "").lower()
        if name.endswith(".ics") or attachment.content_type.lower() in CALENDAR_TYPES:
            found.append((InputSource.CALENDAR, attachment.filename, attachment.data))
        elif _is_transcript(name):
            found.append((InputSource.ATTACHMENT, attachment.filename, attachment.data))
    found += [(InputSource.CALENDAR, "invite.ics", data) for data in parsed.calendar_parts]
    children: list[InboundMessage] = []
    for source, filename, data in found:
        content_hash = hashlib.sha256(data).hexdigest()
        if find_inbound_duplicate(content_hash, None, session=session) is not None:
            continue
        if any(c.content_hash == content_hash for c in children):
            continue
        child = InboundMessage(
            source=source,
            source_id=inbound.message_id,
            content_hash=content_hash,
            filename=filename,
            raw=data,
            received_at=now,
            occurred_at=parsed.date,
            rep_email=address,
            parent_id=inbound.id,
            claimed_by=inbound.claimed_by,  # analysed with the email, not by another worker
            lease_until=inbound.lease_until,
        )
        session.add(child)
        children.append(child)
    session.flush()
    return [c for c in children if c.source == InputSource.ATTACHMENT]


# --- store -------------------------------------------------------------------------------


def _store(
    analysis: Analysis,
    existing: Conversation | None,
    inbound: InboundMessage,
    origin: Origin,
    *,
    session: Session,
    now: datetime,
) -> _Done:
    was_secured = existing.next_steps_secured if existing is not None else None
    conversation, _ = save_analysis(
        analysis, existing=existing, inbound=inbound, origin=origin, session=session, now=now
    )
    if conversation.id is not None:  # webhook events, queued in the same transaction
        from bot.application.webhooks import record_analysis_events

        record_analysis_events(conversation.id, was_secured, session=session, now=now)
    status = IngestOutcome.INGESTED if existing is None else IngestOutcome.UPDATED
    return _Done(status, conversation.id, analysis)


def _conversation_source(source: str) -> ConversationSource:
    return ConversationSource.of_input(source)


def _source_id(inbound: InboundMessage) -> str | None:
    return inbound.source_id or inbound.message_id or inbound.filename


def _thread_key(parsed: ParsedEmail) -> str | None:
    """The thread's first Message-ID: the first reference, else the message's own."""
    named = message_ids(*parsed.references, parsed.in_reply_to, parsed.message_id)
    return named[0] if named else None
