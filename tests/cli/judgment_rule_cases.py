"""More invented conversations for the judgment classes, one per general rule: an option
picked among several named, notes typed line by line, the other side named by role, a
"homework:" label, split verbs in a compound question, the other side's half of a
trigger, a time put on hold, a counter-proposal the rep doubts, a stall that is not the
call said again, a relative clause in the past, homework set in the imperative.

Same row format as ``judgment_cases.py``.
"""

from __future__ import annotations

from typing import Any

LA = "America/Los_Angeles"
WED = "2026-11-18T16:00:00-08:00"  # a Wednesday afternoon
MON = "2026-11-16T09:30:00-08:00"  # a Monday morning


def _email(sender: str, to: str, date: str, subject: str, body: str) -> str:
    return f"From: {sender}\nTo: {to}\nDate: {date}\nSubject: {subject}\n\n{body}"


MARA = "Mara Quist <mara@fieldstone.io>"
THEO = "Theo Banks <theo@lindenworks.com>"

RULE_CASES: list[dict[str, Any]] = [
    {
        "id": "r7-preference-among-named-days",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Could we do the design review Tuesday at 10 or Thursday at 1?\n"
        "Theo Banks: Thursday at 1 is easier, Tuesday I'm at the plant all day.\n"
        "Mara Quist: Thursday at 1 it is.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "Thursday at 1", "due": "2026-11-19T13:00:00-08:00",
             "acknowledged": True}]},
    },
    {
        "id": "r6-long-note-line-then-lowercase-line",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Theo - quarterly coaching check\n"
        "hw: try the new feedback template with two of his reports, email me how it went by Thurs - he agreed\n"
        "next check-in tbc, he'll look at his diary\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "try the new feedback template", "kind": "homework", "secured": True,
             "due": "2026-11-19T17:00:00-08:00"},
            {"quote": "next check-in tbc", "secured": False}]},
    },
    {
        "id": "r4-role-named-in-present-tense",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "14 Alder Way - buyers' second look\n"
        "Agreed next steps:\n"
        "- Buyers review the survey + ring me by Fri\n"
        "- I re-price the extension quote by Wed\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "Buyers review the survey + ring me", "kind": "homework",
             "acknowledged": True, "due": "2026-11-20T17:00:00-08:00"},
            {"quote": "re-price the extension quote", "acknowledged": True}]},
    },
    {
        "id": "r3-split-verb-and-stall",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I'll put the cost breakdown together by Friday and we can reconnect "
        "sometime after the holidays?\n"
        "Theo Banks: Sure.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "put the cost breakdown together", "kind": "deliverable", "secured": True,
             "due": "2026-11-20T17:00:00-08:00"}]},
    },
    {
        "id": "r4-trigger-answered-by-their-half",
        "kind": "email", "rep": "mara@fieldstone.io", "at": None, "tz": LA,
        "text": _email(THEO, MARA, "Wed, 18 Nov 2026 16:00:00 -0800", "Re: Onboarding",
                       "Great, I'll let you know the moment the PO is issued.\n\nTheo\n\n"
                       "On Wed, Nov 18, 2026 at 11:00 AM Mara Quist <mara@fieldstone.io> wrote:\n"
                       "> Once procurement issues the PO, I'll get the onboarding kicked off\n"
                       "> within two business days.\n"),
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "get the onboarding kicked off", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "r5-time-put-on-hold-as-a-question",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Let's lock in the site visit for Monday at 2.\n"
        "Theo Banks: Great.\n"
        "Mara Quist: I'll bring the floor plans.\n"
        "Theo Banks: Actually, can we hold off on Monday? Our budget is under review.\n"
        "Mara Quist: Of course.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "site visit for Monday at 2", "secured": False}]},
    },
    {
        "id": "r5-counter-proposal-the-rep-doubts",
        "kind": "email", "rep": "mara@fieldstone.io", "at": None, "tz": LA,
        "text": _email(MARA, THEO, "Wed, 18 Nov 2026 16:00:00 -0800", "Re: Walkthrough",
                       "Hi Theo,\n\nLet me check with our engineer whether Wednesday works.\n\n"
                       "Mara\n\n"
                       "On Wed, Nov 18, 2026 at 9:00 AM Theo Banks <theo@lindenworks.com> wrote:\n"
                       "> Tuesday is tough for me, could we move the walkthrough to Wednesday at 4?\n"),
        "expect": {"secured": False, "tier": "none"},
    },
    {
        "id": "r2-stall-is-not-the-call-again",
        "kind": "email", "rep": "mara@fieldstone.io", "at": None, "tz": LA,
        "text": _email(THEO, MARA, "Wed, 18 Nov 2026 16:00:00 -0800", "Re: Renewal review",
                       "Hi Mara,\n\nNot right now, sorry. Let's keep in touch over the winter.\n\n"
                       "Theo\n\n"
                       "On Tue, Nov 17, 2026 at 10:00 AM Mara Quist <mara@fieldstone.io> wrote:\n"
                       "> Could we book the renewal review call for Thursday at 3?\n"),
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "keep in touch over the winter", "secured": False,
             "codes_any": ["vague_action", "vague_time"]}]},
    },
    {
        "id": "r2-sit-on-what-they-sent",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Thanks for walking me through the usage data.\n"
        "Theo Banks: No problem.\n"
        "Mara Quist: Let me sit on the figures you sent me and come back to you with a plan.\n"
        "Theo Banks: Okay.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "sit on the figures you sent me", "secured": False,
             "codes_any": ["vague_action", "no_time", "vague_time"]}]},
    },
    {
        "id": "r2-homework-set-in-the-imperative",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: Good session. For next time, journal each time you hand "
        "something off.\n"
        "Theo Banks: I'll try.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "journal each time you hand", "kind": "homework", "secured": False}]},
    },
    {
        "id": "r6-report-before-a-colon",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "INC-5521 - badge reader offline, loading dock\n"
        "- rang Theo this am: on-site check Weds 7:45 to swap the controller (confirmed)\n"
        "- replaced the fuse Fri, no change\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "on-site check Weds 7:45", "due": "2026-11-18T07:45:00-08:00",
             "acknowledged": True, "secured": True}]},
    },
    {
        "id": "r4-present-tense-report-back",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Ticket 7710 - printer queue stuck\n"
        "Agreed next steps:\n"
        "Theo clears the queue on his laptop tonight\n"
        "Theo replies on the ticket by 10 tomorrow morning w/ result\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "Theo replies on the ticket", "acknowledged": True, "secured": True,
             "due": "2026-11-17T10:00:00-08:00"}]},
    },
    {
        "id": "r4-talk-with-a-named-party",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Renewal call w/ Theo (Lindenworks)\n"
        "Theo to talk w/ his COO and revert by Thurs - agreed\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "talk w/ his COO and revert", "kind": "homework", "secured": True}]},
    },
    {
        "id": "r5-withdrawn-before-the-time-was-read",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: I wanted to set our next session before your calendar fills up.\n"
        "Theo Banks: Good idea. Thursday at 6 works for me.\n"
        "Mara Quist: Thursday at 6, great.\n"
        "Theo Banks: Oh wait. Actually, let's drop Thursday, I'll come back to you once I "
        "know my rota.\n"
        "Mara Quist: No problem.\n",
        "expect": {"secured": False, "tier": "none"},
    },
    {
        "id": "r4-their-homework-tells-me",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Offer stage - Theo Banks, platform lead\n"
        "- Agreed: Theo checks w/ his family re the move + tells me by Weds EOD\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "tells me by Weds EOD", "acknowledged": True, "secured": True,
             "due": "2026-11-18T17:00:00-08:00"}]},
    },
    {
        "id": "r3-three-of-us-and-who-comes",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: Let me get you the usage report by Tuesday, and then the three of us "
        "sit down Thursday to agree the seat count.\n"
        "Theo Banks: Works. I'll bring Priya from procurement.\n"
        "Mara Quist: Perfect.\n",
        # silver: the usage report alone is one-way, so only the meeting can be secured
        "expect": {"secured": True, "tier": "silver"},
    },
    {
        "id": "r2-purpose-after-the-step",
        "kind": "email", "rep": "mara@fieldstone.io", "at": None, "tz": LA,
        "text": _email(THEO, MARA, "Mon, 16 Nov 2026 09:30:00 -0800", "Re: Before our call",
                       "Perfect, thanks Mara.\n\nTheo\n\n"
                       "On Mon, Nov 16, 2026 at 8:00 AM Mara Quist <mara@fieldstone.io> wrote:\n"
                       "> I'll finish the audit notes and send them to you by Wednesday so you can\n"
                       "> read them before we talk.\n"),
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "finish the audit notes", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "r2-promises-the-notes-report",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - renewal\n"
        "* told Theo we'd circle back in spring\n"
        "* I said I'd send the usage pack Weds\n"
        "* next review tbd\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "circle back in spring", "secured": False, "due": None,
             "codes_any": ["vague_action", "vague_time", "no_time"]},
            {"quote": "send the usage pack Weds", "due": "2026-11-18", "acknowledged": False},
            {"quote": "next review tbd", "kind": "meeting", "secured": False}]},
    },
    {
        "id": "r6-participle-is-no-past-event",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Alder Way purchase\n"
        "Buyers to sign the lease addendum by Thurs + email me the signed copy (they agreed)\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "sign the lease addendum by Thurs", "kind": "decision",
             "acknowledged": True, "due": "2026-11-19T17:00:00-08:00"}]},
    },
    {
        "id": "r7-free-times-offered-then-picked",
        "kind": "transcript", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Mara Quist: You should see the unit with your installer first. I can do Tuesday "
        "at 8 or Friday at 4.\n"
        "Theo Banks: Friday's better for us, the installer is away till Thursday.\n"
        "Mara Quist: Done, I'll send the invite.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": None, "kind": "meeting", "due": "2026-11-20T16:00:00-08:00",
             "acknowledged": True}]},
    },
    {
        "id": "r5-next-lines-confirmation-is-its-own",
        "kind": "notes", "rep": "Mara Quist", "at": MON, "tz": LA,
        "text": "Lindenworks - expansion\n"
        "I send the revised order form tmrw EOD\n"
        "Budget review w/ Theo + CFO Thurs 2pm (confirmed)\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "revised order form tmrw EOD", "acknowledged": False, "secured": False},
            {"quote": "Budget review w/ Theo", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "r2-their-stall-answers-and-is-a-step",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: The six-month plan comes to 14,000. Could we go through it Friday at 4?\n"
        "Theo Banks: Thanks for the detail. Let me mull over the numbers and get back to you.\n"
        "Mara Quist: Of course.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "go through it Friday at 4", "acknowledged": False, "secured": False},
            {"quote": "mull over the numbers", "secured": False,
             "codes_any": ["vague_action"]}]},
    },
    {
        "id": "r4-see-you-on-its-own-agrees",
        "kind": "transcript", "rep": "Mara Quist", "at": WED, "tz": LA,
        "text": "Mara Quist: I'll have the replacement dock at your desk tomorrow. See you at 10.\n"
        "Theo Banks: See you.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "See you at 10", "acknowledged": True,
             "due": "2026-11-19T10:00:00-08:00"}]},
    },
]  # fmt: skip
