"""Invented conversations for unsecured steps that must still be reported (issue 7, class
2), one per general rule: a promise the notes report, a chase without an object, a check
with someone else, the other side's task in the notes' present tense, a line that ends on
"it", a suggestion, homework asked for, a proposal that waits, a document named after a
meeting, an answer still owed, a stall put off to "some other time", dates left for later,
a proposal the notes record, a delivery offered; and steps whose due was lost with them:
a notes arrow, a dated label, "bring" and "get out" said of a delivery, what is brought
to a meeting, an assessment as a meeting.

Same row format as ``judgment_cases.py``.
"""

from __future__ import annotations

from typing import Any

LA = "America/Los_Angeles"
WED = "2026-11-18T16:00:00-08:00"  # a Wednesday afternoon
MON = "2026-11-16T09:30:00-08:00"  # a Monday morning

UNSECURED_CASES: list[dict[str, Any]] = [
    {
        "id": "u2-notes-reported-promise",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - renewal call\n"
        "- happy with support, usage flat\n"
        "- said I'd send some info over on the reporting add-on\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "send some info over", "kind": "deliverable", "secured": False,
             "codes_any": ["vague_action"]}]},
    },
    {
        "id": "u2-notes-chase-without-object",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Theo Banks - offer follow-up\n"
        "- left two voicemails, no reply\n"
        "- will try again Thurs\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "will try again Thurs", "kind": "callback", "secured": False,
             "due": "2026-11-19"}]},
    },
    {
        "id": "u2-notes-check-with-someone",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks escalation\n"
        "Refund for the March outage - I'll confirm the figure w/ billing, no date yet\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "confirm the figure w/ billing", "kind": "callback", "secured": False,
             "codes_any": ["no_time"]}]},
    },
    {
        "id": "u2-notes-their-task-in-the-present",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Flat 4B, Harbour Rd - application\n"
        "- Jonas also sending the signed guarantor form\n"
        "- cand to send two references, no date given\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "Jonas also sending the signed guarantor form", "kind": "homework",
             "secured": False},
            {"quote": "cand to send two references", "kind": "homework", "secured": False}]},
    },
    {
        "id": "u2-notes-line-ending-on-it-stands-alone",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Call w/ Theo Banks (ops director, Lindenworks) re the leadership programme\n"
        "Liked the outline, budget frozen until the restructure is announced to staff\n"
        "I offered to cut the programme to 3 sessions - he said he'd think about it\n"
        "Next sit-down tbd",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "he said he'd think about it", "secured": False,
             "codes_any": ["vague_action"]},
            {"quote": "Next sit-down tbd", "kind": "meeting", "secured": False}]},
    },
    {
        "id": "u2-suggestion-put-on-the-table",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I'd suggest a budget review on Monday at 4 to look at phase two.\n"
        "Theo Banks: Hmm. The board pack is due that week.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "budget review on Monday at 4", "kind": "meeting", "acknowledged": False,
             "secured": False, "due": "2026-11-23T16:00:00-08:00"}]},
    },
    {
        "id": "u2-homework-asked-for",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: For homework, I'd like you to notice when you interrupt people "
        "this week.\n"
        "Theo Banks: Okay.\n"
        "Mara Quist: And before next time, write down the two projects to hand off.\n"
        "Theo Banks: Will do.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "notice when you interrupt people", "kind": "homework", "secured": False},
            {"quote": "write down the two projects", "kind": "homework", "secured": False}]},
    },
    {
        "id": "u2-wanted-to-set-up-a-visit",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: The sellers have come down to 610. I wanted to set up a second "
        "viewing with your partner, maybe Friday evening?\n"
        "Theo Banks: She's travelling, I'm not sure.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "second viewing with your partner", "kind": "meeting",
             "acknowledged": False, "secured": False}]},
    },
    {
        "id": "u3-document-named-after-a-call-and-a-vague-week",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I'll send the call scorecard over tonight and we can go through "
        "your reps' calls sometime next week?\n"
        "Theo Banks: Sure.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "send the call scorecard over tonight", "kind": "deliverable"}]},
    },
    {
        "id": "u2-answer-still-owed",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Shall we hold the quarterly review Thursday at 10 with your "
        "shift leads?\n"
        "Theo Banks: Thursday could be tight with the stock take. I'll let you know.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "quarterly review Thursday at 10", "acknowledged": False,
             "secured": False},
            {"quote": "I'll let you know", "secured": False}]},
    },
    {
        "id": "u2-some-other-time",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Can you stay on ten minutes so we re-pair the headset?\n"
        "Theo Banks: Sorry, I have the school run. Let's do it some other time.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "Let's do it some other time", "secured": False,
             "codes_any": ["vague_action", "no_time", "vague_time"]}]},
    },
    {
        "id": "u2-notes-dates-later-and-proposed",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks QBR\n"
        "* onboarding workshop for 20 new starters in February, dates later\n"
        "* proposed a training session for the night-shift leads, he hasn't answered\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "onboarding workshop for 20 new starters", "kind": "meeting",
             "secured": False},
            {"quote": "proposed a training session", "kind": "meeting", "secured": False}]},
    },
    {
        "id": "u2-delivery-offered-if-useful",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I could get the drainage survey to you too if useful.\n"
        "Theo Banks: We need to talk it through at home first.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "get the drainage survey to you", "kind": "deliverable",
             "secured": False}]},
    },
    {
        "id": "d-notes-arrow-and-dated-label",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - discovery #2\n"
        "* Theo asked for two customer references -> I send 2 refs tmrw EOD\n"
        "Update 11/16: Theo will send export logs tmrw EOD, said ok\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "I send 2 refs tmrw EOD", "kind": "deliverable",
             "due": "2026-11-17T17:00:00-08:00"},
            {"quote": "Theo will send export logs", "kind": "homework", "acknowledged": True,
             "due": "2026-11-17T17:00:00-08:00"}]},
    },
    {
        "id": "d-bring-and-get-out-are-deliveries",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Likely the dock. I'll bring a new dock tomorrow too.\n"
        "Theo Banks: Great.\n"
        "Mara Quist: The March batch needs a credit note, which I'll get out by Friday.\n"
        "Theo Banks: OK, good.\n"
        "Mara Quist: And I'll bring Janelle from finance.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "bring a new dock tomorrow", "kind": "deliverable", "due": "2026-11-19"},
            {"quote": "which I'll get out by Friday", "kind": "deliverable",
             "due": "2026-11-20T17:00:00-08:00"}]},
    },
    {
        "id": "d-brought-to-the-meeting-is-due-that-day",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: The viewing can be Friday at 10 or Saturday at 11.\n"
        "Theo Banks: Friday at 10 please.\n"
        "Mara Quist: Perfect, Friday at 10 it is. Bring your ID and two payslips if you can.\n"
        "Theo Banks: Will do. See you Friday.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Bring your ID and two payslips", "kind": "homework",
             "due": "2026-11-20"}]},
    },
    {
        "id": "d-reassessment-is-a-meeting",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: We're at the end of your block. I want to do the full reassessment "
        "on Monday at 7am, before the new program.\n"
        "Theo Banks: Yeah, see you then.\n"
        "Mara Quist: Bring your food log from the last two weeks.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "full reassessment on Monday at 7am", "kind": "meeting",
             "acknowledged": True, "due": "2026-11-23T07:00:00-08:00"},
            {"quote": "Bring your food log", "kind": "homework", "due": "2026-11-23"}]},
    },
]  # fmt: skip
