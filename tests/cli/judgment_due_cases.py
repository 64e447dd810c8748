"""Invented conversations for which time a step takes (issue 7, classes 3 and 8), one per
general rule: a step to have something done ("I'll have the X installed by ..."), a
deadline said for today beside another clause's day, a constraint in parentheses that is
not the step's own time, the other side's own appointments ("I have a standup at 9:30",
"I'm presenting at our offsite on the 24th"), which are no steps with us.

Same row format as ``judgment_cases.py``.
"""

from __future__ import annotations

from typing import Any

LA = "America/Los_Angeles"
WED = "2026-11-18T16:00:00-08:00"  # a Wednesday afternoon
MON = "2026-11-16T09:30:00-08:00"  # a Monday morning

DUE_CASES: list[dict[str, Any]] = [
    {
        "id": "d-have-it-done-by-and-a-vague-catch-up",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: The badge printer is on order.\n"
        "Theo Banks: Fine, as long as the new starters can get in.\n"
        "Mara Quist: I'll have the visitor badges printed by Thursday at noon and we can "
        "catch up sometime after that?\n"
        "Theo Banks: Perfect.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "visitor badges printed by Thursday at noon", "kind": "deliverable",
             "due": "2026-11-19T12:00:00-08:00"},
            {"quote": "catch up sometime after that", "secured": False, "due": None}]},
    },
    {
        "id": "d-have-it-ready-said-in-an-email",
        "kind": "email", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "From: Mara Quist <mara@fieldstone.io>\nTo: Theo Banks <theo@lindenworks.com>\n"
        "Date: Mon, 16 Nov 2026 09:30:00 -0800\nSubject: Staging access\n\n"
        "Hi Theo,\n\nI'll have the staging tenant configured for your team by Wednesday 3pm.\n\n"
        "Mara\n",
        "expect": {"steps": [
            {"quote": "staging tenant configured", "kind": "deliverable",
             "due": "2026-11-18T15:00:00-08:00"}]},
    },
    {
        "id": "d-eod-today-beside-another-clauses-day",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Found the cause, the sync job was pointed at the old bucket.\n"
        "Mara Quist: I'll get the corrected export out by EOD Wednesday and we can check in "
        "Friday.\n"
        "Theo Banks: Thanks Mara.\n",
        "expect": {"steps": [
            {"quote": "corrected export out by EOD Wednesday", "kind": "deliverable",
             "due": "2026-11-18T17:00:00-08:00"}]},
    },
    {
        "id": "d-a-constraint-in-parentheses-is-not-the-due",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - kickoff planning\n"
        "Agreed next steps:\n"
        "- Theo sends me the signed SOW Friday (has to land before Dec 12)\n"
        "- Me: book the kickoff room\n",
        "expect": {"steps": [
            {"quote": "signed SOW Friday", "due": "2026-11-20"}]},
    },
    {
        "id": "d-a-counted-day-moves-the-meeting-with-its-own-clock",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Does Thursday at 4 work for the pricing review?\n"
        "Theo Banks: Thursday is packed. Would the second Tuesday of next month work instead, "
        "at 10?\n"
        "Mara Quist: Yes, that works for me.\n",
        "expect": {"secured": True, "steps": [
            {"quote": "second Tuesday of next month", "due": "2026-12-08T10:00:00-08:00"}]},
    },
    {
        "id": "d-a-new-hour-alone-keeps-the-day",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Could we go through the draft Tuesday at 10?\n"
        "Theo Banks: Could we make it 11 instead?\n"
        "Mara Quist: Sure.\n",
        "expect": {"secured": True, "steps": [
            {"quote": "11 instead", "due": "2026-11-17T11:00:00-08:00"}]},
    },
    {
        "id": "d-notes-report-their-own-promise",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Priya Nair - offer stage\n"
        "- needs to talk it through with her partner first\n"
        "- said she'd call me Thurs PM w/ her answer\n",
        "expect": {"secured": True, "steps": [
            {"quote": "call me Thurs PM", "acknowledged": True}]},
    },
    {
        "id": "d-hop-back-on-at-a-clock-time",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: The fix is live on staging now.\n"
        "Theo Banks: Finally.\n"
        "Mara Quist: Can you hop back on at quarter past 3 so I can walk you through it?\n"
        "Theo Banks: Sure, I'll be here.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "hop back on", "due": "2026-11-16T15:15:00-08:00"}]},
    },
    {
        "id": "d-have-it-to-you-within-days",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Once legal signs off, tell me and I'll have the rollout schedule to "
        "you within 3 business days.\n"
        "Theo Banks: Great, will let you know the moment they do.\n",
        "expect": {"secured": True, "steps": [
            {"quote": "rollout schedule", "kind": "deliverable"}]},
    },
    {
        "id": "d-an-hour-before-while-or-when",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Could we do the migration Saturday at 10 while the office is empty?\n"
        "Theo Banks: Saturday at 10 works.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Saturday at 10", "due": "2026-11-21T10:00:00-08:00"}]},
    },
    {
        "id": "d-how-about-we-with-any-verb",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: How about we go back Thursday at 11 when the light is better?\n"
        "Theo Banks: Perfect, see you then.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "go back Thursday at 11", "due": "2026-11-19T11:00:00-08:00"}]},
    },
    {
        "id": "d-jump-back-on-a-call",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: The export finished, but the totals look off.\n"
        "Mara Quist: Can you jump back on at 20 minutes to 4 once I've rerun it?\n"
        "Theo Banks: Yes, I'll be here.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "jump back on", "due": "2026-11-16T15:40:00-08:00"}]},
    },
    {
        "id": "d-their-homework-sent-to-us-comes-back",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: What would help you decide on the seat count?\n"
        "Theo Banks: I'll get you the list of inactive users by Friday, and then let's settle "
        "the seat count on a call.\n"
        "Mara Quist: Perfect.\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "list of inactive users by Friday", "acknowledged": True}]},
    },
    {
        "id": "d-their-own-appointments-are-no-steps",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Could we walk through the rollout plan Thursday at 11?\n"
        "Theo Banks: I have a standup at 11:30 but I can step out of it.\n"
        "Theo Banks: And I'm presenting at our quarterly offsite on the 24th, so Thursday "
        "is better anyway.\n"
        "Mara Quist: Great, Thursday at 11 then.\n"
        "Theo Banks: Yes.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Thursday at 11", "due": "2026-11-19T11:00:00-08:00",
             "acknowledged": True}],
            "no_due_between": ["2026-11-24", "2026-11-24"]},
    },
]  # fmt: skip

# Coaching lines built from a step's words (issue 7, class 9): the "Try:" line must read as
# something a person would say, whoever's words the step was taken from.
COACHING_CASES: list[dict[str, Any]] = [
    {
        "id": "k-an-offer-in-the-conditional-keeps-no-subject",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I could pull together a short migration checklist if that helps.\n"
        "Theo Banks: What about the licences we already bought?\n",
        "expect": {"secured": False, "try_not_containing": ["I'll I ", "if that helps"],
                   "no_doubled_words": True},
        "action_starts": "pull together a short migration checklist",
    },
    {
        "id": "k-notes-in-the-first-person-plural",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - procurement\n"
        "- We send the signed order form + W-9 today\n",
        "expect": {"secured": False, "try_not_containing": ["I'll We ", "I'll we "]},
        "action_starts": "send the signed order form",
    },
    {
        "id": "k-their-words-are-turned-to-face-them",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Could we look at the renewal terms together next week?\n"
        "Theo Banks: Maybe. I'll check my calendar and come back to you.\n",
        "expect": {"secured": False,
                   "try_not_containing": ["come back to you by", "check my calendar"]},
        "try_containing": "come back to me",
    },
    {
        "id": "k-what-it-is-for-is-not-the-action",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I'll send the admin guide today so your team can get a head start.\n"
        "Theo Banks: What about single sign-on?\n",
        "expect": {"secured": False, "try_not_containing": ["so your team", "can get by"]},
        "action_starts": "send the admin guide",
    },
    {
        "id": "k-a-lower-case-word-before-to-is-no-name",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I could get the pricing sheet to you too if useful, it's only two pages.\n"
        "Theo Banks: How long is the contract term?\n",
        "expect": {"secured": False},
        "action_starts": "get the pricing sheet",
    },
]  # fmt: skip

# Words that are no step of their own (issue 7, classes 2 and 5): a step quoted as an
# example of what people say, and the logistics of a meeting just agreed.
NOT_A_STEP_CASES: list[dict[str, Any]] = [
    {
        "id": "n-a-quoted-example-is-no-promise",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Most people close a call with \"I'll send you some info\" and "
        "nothing else.\n"
        "Theo Banks: Guilty, that's exactly what I say.\n"
        "Mara Quist: So for our next session, could we meet Tuesday at 4?\n"
        "Theo Banks: Tuesday at 4 works.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Tuesday at 4", "due": "2026-11-17T16:00:00-08:00"}]},
        "steps_exactly": 1,
    },
    {
        "id": "n-a-quoted-example-that-ends-the-sentence",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: How did your calls end this week?\n"
        "Theo Banks: Honestly? Every one of them wraps up with \"Let's touch base next week.\"\n"
        "Mara Quist: Then let's practise a better close on Friday at 9.\n"
        "Theo Banks: Friday at 9 works.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Friday at 9", "due": "2026-11-20T09:00:00-08:00"}]},
        "steps_exactly": 1,
    },
    {
        "id": "n-the-link-to-an-agreed-meeting-is-part-of-it",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Could we review the floor plan together Thursday at 2?\n"
        "Theo Banks: Thursday at 2 is fine.\n"
        "Mara Quist: Great, I'll send you the Zoom link.\n"
        "Theo Banks: Thanks.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Thursday at 2", "due": "2026-11-19T14:00:00-08:00"}]},
        "steps_exactly": 1,
    },
]  # fmt: skip
