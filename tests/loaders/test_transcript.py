"""Transcripts in every format we read: speakers, words, timestamps, lines and roles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.engine.model import Document, Role, SourceKind
from bot.errors import TranscriptError
from bot.loaders import load_bytes, load_text

DATA = Path(__file__).parent.parent / "data" / "transcripts"
TZ = "America/Los_Angeles"
AT = datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(TZ))  # a Thursday


def load_fixture(name: str, **options: object) -> Document:
    options.setdefault("at", AT)
    return load_bytes((DATA / name).read_bytes(), filename=name, tz=TZ, **options)  # type: ignore[arg-type]


def source_line(document: Document, number: int) -> str:
    return document.text.split("\n")[number - 1]


# (fixture, speakers turn by turn, a quote and the 1-based line it is on, its timestamp)
FORMATS = [
    (
        "zoom_voice_tags.vtt",
        ["Dana Reyes", "Jane Kim"] * 4,
        ("Thursday at 10 works.", 40, "00:00:37.200"),
    ),
    (
        "teams_name_lines.vtt",
        ["Marcus Lee", "Alicia Gomez", "Marcus Lee", "Alicia Gomez"],
        ("with an update on whether the drops stopped.", 18, "00:00:16.500"),
    ),
    (
        "otter_export.txt",
        ["Priya Nair", "Tom Becker"] * 3 + ["Priya Nair"],
        ("Friday at 5 works.", 19, "1:21"),
    ),
    (
        "gong_call_export.txt",
        [None] + ["Dana Reyes (Acme)", "Sam Ortiz (Northwind)"] * 3,
        ("I'll send the cost comparison by end of day tomorrow.", 18, "00:28:45"),
    ),
    (
        "fireflies_dash.txt",
        [None, "Lena Fischer", "Omar Haddad", "Lena Fischer", "Omar Haddad"],
        ("and tell me how they answered in our session next Tuesday at 9.", 11, "00:03:40"),
    ),
    (
        "recruiting_screen.srt",
        ["Nadia Brooks", "Chris Wong", "Nadia Brooks", "Chris Wong", "Nadia Brooks"],
        ("Could you do Monday at 2pm Eastern?", 16, "00:00:09,600"),
    ),
    (
        "bracket_timestamps.txt",
        ["Ben Carter", "Olivia Park"] * 2 + ["Ben Carter"],
        ("Should we touch base next week once they're done?", 3, "12:05"),
    ),
    (
        "teams_transcript_copy.txt",
        ["Hannah Scott", "Raj Patel"] * 2,
        ("I'll send the agenda by Friday.", 12, "0:0:9.310"),
    ),
]


@pytest.mark.parametrize(("name", "speakers", "quote"), FORMATS, ids=[f[0] for f in FORMATS])
def test_each_format_gives_the_speakers_turn_by_turn(
    name: str, speakers: list[str | None], quote: tuple[str, int, str]
) -> None:
    document = load_fixture(name)

    assert document.kind == SourceKind.TRANSCRIPT
    assert [turn.speaker for turn in document.turns] == speakers
    assert [turn.index for turn in document.turns] == list(range(len(speakers)))


@pytest.mark.parametrize(("name", "speakers", "quote"), FORMATS, ids=[f[0] for f in FORMATS])
def test_a_quote_points_at_its_line_and_timestamp(
    name: str, speakers: list[str | None], quote: tuple[str, int, str]
) -> None:
    words, line, timestamp = quote
    document = load_fixture(name)

    [turn] = [turn for turn in document.turns if words in turn.text]
    offset = turn.text.index(words)
    assert turn.line + turn.text.count("\n", 0, offset) == line
    assert words in source_line(document, line)
    assert turn.timestamp == timestamp


@pytest.mark.parametrize(("name", "speakers", "quote"), FORMATS, ids=[f[0] for f in FORMATS])
def test_no_structure_leaks_into_the_words(
    name: str, speakers: list[str | None], quote: tuple[str, int, str]
) -> None:
    document = load_fixture(name)
    words = "\n".join(turn.text for turn in document.turns)

    for leak in ("-->", "WEBVTT", "<v", "</v>", "otter.ai", "Date: 2026"):
        assert leak not in words
    for speaker in {s for s in speakers if s}:
        assert f"{speaker}:" not in words


def test_consecutive_cues_by_one_speaker_are_one_turn_with_exact_lines() -> None:
    document = load_fixture("zoom_voice_tags.vtt")
    first = document.turns[0]

    assert first.text.split("\n")[0] == "Hi Jane, thanks for making the time today."
    second = "I wanted to walk through the proposal and the pilot scope."
    offset = first.text.index(second)
    assert source_line(document, first.line + first.text.count("\n", 0, offset)).endswith(
        second + "</v>"
    )


def test_vtt_markup_and_entities_are_read_as_words() -> None:
    document = load_fixture("zoom_voice_tags.vtt")

    assert "IT & security need to sign off." in document.turns[1].text


def test_vtt_header_date_in_a_note_is_the_reference_time() -> None:
    document = load_fixture("zoom_voice_tags.vtt", at=None)

    assert document.reference_time == datetime(2026, 11, 19, 15, 0, tzinfo=ZoneInfo(TZ))


def test_gong_date_line_is_the_reference_time_and_not_a_turn() -> None:
    document = load_fixture("gong_call_export.txt", at=None)

    assert document.reference_time == AT
    assert document.turns[0].text == "Acme / Northwind - Discovery call"


@pytest.mark.parametrize(
    ("name", "timestamp", "seconds"),
    [
        ("gong_call_export.txt", "00:28:45", 1725.0),
        ("otter_export.txt", "1:10", 70.0),
        ("recruiting_screen.srt", "00:00:05,100", 5.1),
        ("teams_transcript_copy.txt", "0:0:4.520", 4.52),
        ("bracket_timestamps.txt", "00:12:07", 727.0),
    ],
)
def test_offsets_are_seconds_from_the_start(name: str, timestamp: str, seconds: float) -> None:
    document = load_fixture(name)

    [turn] = [turn for turn in document.turns if turn.timestamp == timestamp]
    assert turn.offset_seconds == pytest.approx(seconds)


def test_a_clock_time_has_no_offset() -> None:
    text = "[9:03 AM] Dana Reyes\nHi Jane.\n[9:04 AM] Jane Kim\nHi Dana.\n[9:05 AM] Dana Reyes\nOk."
    document = load_text(text, at=AT, tz=TZ)

    assert [t.speaker for t in document.turns] == ["Dana Reyes", "Jane Kim", "Dana Reyes"]
    assert document.turns[0].timestamp == "9:03 AM"
    assert document.turns[0].offset_seconds is None


@pytest.mark.parametrize(
    ("text", "speakers", "texts"),
    [
        (
            "Dana: Can we meet Thursday at 10?\nJane: Thursday at 10 works,\nsee you then.\n"
            "Dana: Great.",
            ["Dana", "Jane", "Dana"],
            ["Can we meet Thursday at 10?", "Thursday at 10 works,\nsee you then.", "Great."],
        ),
        (
            "Dana Reyes (00:01:02): Does Monday work?\nJane Kim (00:01:09): Monday works.\n"
            "Dana Reyes (00:01:12): Booked.",
            ["Dana Reyes", "Jane Kim", "Dana Reyes"],
            ["Does Monday work?", "Monday works.", "Booked."],
        ),
        (
            "12:04 Dana: Friday at 3?\n12:05 Jane: Sure.\n12:05 Dana: Invite coming.",
            ["Dana", "Jane", "Dana"],
            ["Friday at 3?", "Sure.", "Invite coming."],
        ),
        (
            "Speaker 1  0:00\nHello.\n\nSpeaker 2  0:04\nHi there.\n\nSpeaker 1  0:09\nBye.",
            ["Speaker 1", "Speaker 2", "Speaker 1"],
            ["Hello.", "Hi there.", "Bye."],
        ),
        (
            "Q: When can you start?\nA: The 1st of December.\nQ: Great.\nA: Thanks.",
            ["Q", "A", "Q", "A"],
            ["When can you start?", "The 1st of December.", "Great.", "Thanks."],
        ),
        (
            "[Dana Reyes] 10:02:31\nShall we say Tuesday at 2?\n[Jane Kim] 10:02:40\nYes.\n"
            "[Dana Reyes] 10:02:44\nGreat.",
            ["Dana Reyes", "Jane Kim", "Dana Reyes"],
            ["Shall we say Tuesday at 2?", "Yes.", "Great."],
        ),
        (
            "Dana:\nI'll send it Friday.\nJane:\nThanks!\nDana:\nSure.",
            ["Dana", "Jane", "Dana"],
            ["I'll send it Friday.", "Thanks!", "Sure."],
        ),
    ],
    ids=["name-colon", "ts-after-name", "ts-first", "speaker-n", "q-and-a", "zoom-save", "bare"],
)
def test_plain_formats(text: str, speakers: list[str], texts: list[str]) -> None:
    document = load_text(text, at=AT, tz=TZ)

    assert document.kind == SourceKind.TRANSCRIPT
    assert [t.speaker for t in document.turns] == speakers
    assert [t.text for t in document.turns] == texts


def test_vtt_note_blocks_cue_ids_and_settings_are_structure() -> None:
    text = (
        "WEBVTT - Weekly sync\n\nSTYLE\n::cue { color: white }\n\nNOTE this is a comment\n"
        "that spans two lines\n\nintro\n00:00.000 --> 00:02.000 line:90% align:center\n"
        "<v.loud Dana Reyes><i>Welcome</i> back!\n\n"
        "00:02.500 --> 00:04.000\n<v Jane Kim><c.yellow>Thanks</c>.</v>\n\n"
        "NOTE another comment\n\n00:04.500 --> 00:06.000\n<v Dana Reyes>Monday at 2?\n\n"
        "00:06.500 --> 00:07.000\n<v Jane Kim>Yes.</v>\n"
    )
    document = load_text(text, at=AT, tz=TZ)

    assert [(t.speaker, t.text) for t in document.turns] == [
        ("Dana Reyes", "Welcome back!"),
        ("Jane Kim", "Thanks."),
        ("Dana Reyes", "Monday at 2?"),
        ("Jane Kim", "Yes."),
    ]
    assert document.turns[0].timestamp == "00:00.000"
    assert document.warnings == [
        "guessed the rep: Dana Reyes (first speaker); pass --rep to set it"
    ]


def test_a_line_said_right_under_webvtt_is_not_taken_for_metadata() -> None:
    text = (
        "\n\nWEBVTT\nKind: captions\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n"
        "Dana: Thanks for joining.\n\n00:01.000 --> 00:02.000\n<v Jane>Happy to.\n"
    )
    document = load_text(text, at=AT, tz=TZ)

    assert [(t.speaker, t.text, t.line) for t in document.turns] == [
        ("Dana", "Thanks for joining.", 6),
        ("Jane", "Happy to.", 9),
    ]


def test_srt_dialogue_lines_in_one_cue_are_two_turns() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n- Dana: Wednesday at 2?\n- Jane: Works for me.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nDana: Invite is on its way.\n"
    )
    document = load_text(text, at=AT, tz=TZ)

    assert [(t.speaker, t.text, t.line) for t in document.turns] == [
        ("Dana", "Wednesday at 2?", 3),
        ("Jane", "Works for me.", 4),
        ("Dana", "Invite is on its way.", 8),
    ]


def test_an_unlabelled_cue_belongs_to_the_speaker_before_it() -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nDana: Let's book\n\n"
        "00:02.000 --> 00:03.000\nThursday at 10.\n\n00:03.000 --> 00:04.000\nJane: Sure.\n"
    )
    document = load_text(text, at=AT, tz=TZ)

    assert [(t.speaker, t.text) for t in document.turns] == [
        ("Dana", "Let's book\n\n\nThursday at 10."),
        ("Jane", "Sure."),
    ]


@pytest.mark.parametrize(
    ("name", "line"),
    [("truncated_mid_cue.vtt", 16)],
)
def test_a_truncated_vtt_loads_what_is_there_and_warns(name: str, line: int) -> None:
    document = load_fixture(name, rep="Dana Reyes")

    assert [t.speaker for t in document.turns] == ["Dana Reyes", "Jane Kim", "Dana Reyes"]
    assert document.turns[-1].text == "Great. Can we review it together on Monday at 2pm?"
    assert document.warnings == [
        f"the transcript stops in the middle of a cue at line {line}; it looks cut off, "
        "so only what is there was read"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>Hello.</v>\n\n00:02.000 --> 00:03.000\n"
        "<v Jane>Hi <i>Da",
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>Hello.</v>\n\n00:02.000 --> 00:03.000\n",
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>Hello.</v>\n\n00:02.000 --> 00:0",
    ],
    ids=["mid-tag", "cue-without-words", "mid-timing"],
)
def test_ways_a_vtt_gets_cut_off_are_noticed(text: str) -> None:
    document = load_text(text, at=AT, tz=TZ, rep="Dana")

    assert document.turns[0].text == "Hello."
    assert any("looks cut off" in warning for warning in document.warnings)
    assert "<" not in "".join(turn.text for turn in document.turns)


def test_a_complete_vtt_has_no_warning() -> None:
    document = load_fixture("zoom_voice_tags.vtt", rep="Dana Reyes")

    assert document.warnings == []


def test_no_speakers_falls_back_to_notes_like_turns_with_a_warning() -> None:
    text = "Quick call with the Acme team.\nThey want a demo.\n\nDemo booked Tue 2pm."
    document = load_text(text, kind=SourceKind.TRANSCRIPT, at=AT, tz=TZ)

    assert [(t.text, t.speaker, t.role) for t in document.turns] == [
        ("Quick call with the Acme team.", None, Role.UNKNOWN),
        ("They want a demo.", None, Role.UNKNOWN),
        ("Demo booked Tue 2pm.", None, Role.UNKNOWN),
    ]
    assert document.warnings == [
        "no speaker names found; each line, paragraph or cue is read as a note"
    ]
    assert not document.rep_guessed


def test_captions_without_speakers_give_one_turn_per_cue() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nhello everyone\n\n00:02.000 --> 00:04.000\nlet's start\n"
    document = load_text(text, at=AT, tz=TZ)

    assert [(t.text, t.timestamp, t.line) for t in document.turns] == [
        ("hello everyone", "00:01.000", 4),
        ("let's start", "00:02.000", 7),
    ]
    assert "no speaker names found" in document.warnings[0]


@pytest.mark.parametrize(
    "text",
    ["WEBVTT\n\nNOTE nothing was said\n", "1\n00:00:01,000 --> 00:00:02,000\n\n"],
    ids=["vtt-header-only", "srt-cue-without-words"],
)
def test_a_transcript_without_words_is_refused(text: str) -> None:
    with pytest.raises(TranscriptError, match="no spoken text"):
        load_text(text, at=AT, tz=TZ)


# --- roles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rep",
    ["Dana Reyes", "dana reyes", "Dana", "DANA", "Dana Reyes (Acme)", "dana.reyes@acme.com"],
)
def test_the_rep_is_found_by_full_name_first_name_or_company_form(rep: str) -> None:
    document = load_fixture("gong_call_export.txt", rep=rep)

    roles = {turn.speaker: turn.role for turn in document.turns}
    assert roles == {
        None: Role.UNKNOWN,
        "Dana Reyes (Acme)": Role.REP,
        "Sam Ortiz (Northwind)": Role.COUNTERPART,
    }
    assert [(p.name, p.role) for p in document.participants] == [
        ("Dana Reyes (Acme)", Role.REP),
        ("Sam Ortiz (Northwind)", Role.COUNTERPART),
    ]
    assert document.rep == rep
    assert not document.rep_guessed
    assert document.warnings == []


def test_without_a_rep_the_first_speaker_is_guessed_and_said_so() -> None:
    document = load_fixture("otter_export.txt")

    assert document.rep == "Priya Nair"
    assert document.rep_guessed
    assert document.warnings == [
        "guessed the rep: Priya Nair (first speaker); pass --rep to set it"
    ]
    assert {t.speaker: t.role for t in document.turns} == {
        "Priya Nair": Role.REP,
        "Tom Becker": Role.COUNTERPART,
    }


def test_the_rep_can_be_the_second_speaker() -> None:
    document = load_fixture("otter_export.txt", rep="Tom")

    assert {t.speaker: t.role for t in document.turns} == {
        "Priya Nair": Role.COUNTERPART,
        "Tom Becker": Role.REP,
    }


def test_a_rep_who_is_not_a_speaker_is_reported() -> None:
    document = load_fixture("otter_export.txt", rep="Dana Reyes")

    assert {t.role for t in document.turns} == {Role.COUNTERPART}
    assert document.warnings == [
        "the rep 'Dana Reyes' is not among the speakers (Priya Nair, Tom Becker); everyone is "
        "read as the counterpart. Pass --rep with one of the speaker names"
    ]


def test_a_first_name_shared_by_two_speakers_is_reported() -> None:
    text = "Dana Reyes: Hi.\nDana Smith: Hello.\nJane Kim: Hi both.\nDana Reyes: Let's start."
    document = load_text(text, at=AT, tz=TZ, rep="Dana")

    assert [t.role for t in document.turns] == [Role.REP, Role.REP, Role.COUNTERPART, Role.REP]
    assert "matches several speakers (Dana Reyes, Dana Smith)" in document.warnings[0]


def test_a_full_name_picks_one_of_two_speakers_with_the_same_first_name() -> None:
    text = "Dana Reyes: Hi.\nDana Smith: Hello.\nJane Kim: Hi both.\nDana Reyes: Let's start."
    document = load_text(text, at=AT, tz=TZ, rep="Dana Smith")

    assert [t.role for t in document.turns] == [
        Role.COUNTERPART,
        Role.REP,
        Role.COUNTERPART,
        Role.COUNTERPART,
    ]
    assert document.warnings == []


@pytest.mark.parametrize("label", ["Speaker 1", "Unknown", "Unknown Speaker"])
def test_generic_labels_are_still_speakers(label: str) -> None:
    text = f"{label}: Can we do Monday?\nJane: Monday is fine.\n{label}: Great."
    document = load_text(text, at=AT, tz=TZ)

    assert [t.speaker for t in document.turns] == [label, "Jane", label]
    assert document.rep == label


@pytest.mark.parametrize(
    "line",
    [
        "Next steps: send the deck Friday",
        "Note: she is out next week",
        "Budget: approved",
        "Thanks Jane: really helpful",
        "Re: pricing",
        "https://acme.example/deck",
    ],
)
def test_field_names_and_sentences_inside_a_turn_are_not_speakers(line: str) -> None:
    text = f"Dana: Recap of what we agreed.\n{line}\nJane: Sounds good.\nDana: Bye."
    document = load_text(text, at=AT, tz=TZ)

    assert [t.speaker for t in document.turns] == ["Dana", "Jane", "Dana"]
    assert document.turns[0].text == f"Recap of what we agreed.\n{line}"
