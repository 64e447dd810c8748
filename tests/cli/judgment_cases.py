"""Invented conversations, one table row each, for the judgment classes of `nextstep analyze`.

Each case names the class it exercises; ``expect`` is what a user must see:
``secured``/``tier``/``outcome`` for the conversation, and for each listed step (found by
a few words of its evidence) the fields that matter. ``codes_any``: at least one of these
finding codes; ``no_codes``: none of these; ``not_quoting``/``quoting``: words a finding's
message must leave out or contain.
"""

from __future__ import annotations

from typing import Any

LA = "America/Los_Angeles"
NY = "America/New_York"
WED = "2026-11-18T16:00:00-08:00"  # a Wednesday afternoon
FRI = "2026-11-20T11:00:00-08:00"  # a Friday morning


def _email(sender: str, to: str, date: str, subject: str, body: str) -> str:
    return f"From: {sender}\nTo: {to}\nDate: {date}\nSubject: {subject}\n\n{body}"


ALEX = "Alex Kim <alex@vendorly.com>"
JORDAN = "Jordan Blake <jordan@harborclinic.org>"

CASES: list[dict[str, Any]] = [
    # Class 2: unsecured steps are reported, each with its finding.
    {
        "id": "c2-stall-chew-on-pricing",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: That covers the rollout plan and the support tiers.\n"
        "Jordan Blake: Thanks, that was clear. Let me chew on the pricing and come back to you.\n"
        "Alex Kim: Of course, take your time.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "chew on the pricing", "secured": False, "codes_any": ["vague_action"]}]},
    },
    {
        "id": "c2-stall-mull-over",
        "kind": "transcript", "rep": "Priya Nair", "at": FRI, "tz": NY,
        "text": "Priya Nair: So that is the full package for the Elm Street listing.\n"
        "Ben Ortiz: Appreciate it. We need to mull over the offer price and we'll get back to you.\n"
        "Priya Nair: Sure thing.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "mull over the offer price", "secured": False,
             "codes_any": ["vague_action"]}]},
    },
    {
        "id": "c2-offer-not-taken-up",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: I could pull together a couple of customer references if that would help.\n"
        "Jordan Blake: Let's look at the integration questions first.\n"
        "Alex Kim: Sure, where do you want to start?\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "pull together a couple of customer references", "acknowledged": False,
             "secured": False, "codes_any": ["not_acknowledged"]}]},
    },
    {
        "id": "c2-offer-in-recap-email",
        "kind": "email", "rep": "alex@vendorly.com", "at": None, "tz": LA,
        "text": _email(ALEX, JORDAN, "Wed, 18 Nov 2026 16:00:00 -0800", "Today's call",
                       "Hi Jordan,\n\nThanks for your time today. Happy to put together a short "
                       "case study from a similar clinic if useful.\n\nBest,\nAlex\n"),
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "case study from a similar clinic", "acknowledged": False,
             "secured": False, "codes_any": ["not_acknowledged"]}]},
    },
    {
        "id": "c2-revisit-in-spring",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Where does that leave us?\n"
        "Jordan Blake: Honestly, let's revisit this in the spring.\n"
        "Alex Kim: Sounds good.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "revisit this in the spring", "secured": False, "due": None,
             "codes_any": ["vague_action", "vague_time"]}]},
    },
    {
        "id": "c2-stay-in-touch-holidays",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: Any questions on the offer package?\n"
        "Sam Lee: No, it's all clear. Let's keep each other posted over the holidays.\n"
        "Dana Reyes: Will do.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "keep each other posted", "secured": False,
             "codes_any": ["vague_action", "vague_time"]}]},
    },
    {
        "id": "c2-ping-no-answer",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Harbor Clinic renewal\n- Texted Maria about the renewal, no answer yet.\n"
        "- Will ping her again Tues.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "ping her again", "acknowledged": False, "secured": False,
             "codes_any": ["not_acknowledged"]}]},
    },
    {
        "id": "c2-nudge-no-answer",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "IT ticket 4471\n- Left a voicemail for Raj re: the VPN fix.\n"
        "- Will nudge him again Friday morning.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "nudge him again", "acknowledged": False, "secured": False,
             "codes_any": ["not_acknowledged"]}]},
    },
    {
        "id": "c2-dig-it-up",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Jordan Blake: Do you still have the NDA we signed last year?\n"
        "Alex Kim: I'll dig it up.\n"
        "Jordan Blake: Thanks.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "dig it up", "secured": False, "codes_any": ["no_time"]}]},
    },
    {
        "id": "c2-track-down",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Jordan Blake: Which SOW covered the pilot?\n"
        "Alex Kim: Good question, I'll track down the old SOW.\n"
        "Jordan Blake: Okay.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "track down the old SOW", "secured": False, "codes_any": ["no_time"]}]},
    },
    {
        "id": "c2-after-looked-over-talk",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: After you've had a look at the draft, let's talk.\n"
        "Jordan Blake: Okay.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "let's talk", "secured": False,
             "codes_any": ["open_trigger", "vague_action"]}]},
    },
    {
        "id": "c2-once-numbers-chat",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: Once you've gone through the numbers, we should chat.\n"
        "Sam Lee: Sure.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "we should chat", "secured": False,
             "codes_any": ["open_trigger", "vague_action"]}]},
    },
    {
        "id": "c2-next-sitdown-tbd",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Coaching - Maya\n- Worked on the pipeline review habit.\n- Next sit-down tbd\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "next sit-down tbd", "secured": False, "acknowledged": False,
             "codes_any": ["no_time", "vague_time"]}]},
    },
    {
        "id": "c2-follow-up-session-tbd",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Onboarding check\n- Covered SSO and the admin console.\n- Follow-up session: TBD\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "follow-up session", "secured": False, "acknowledged": False,
             "codes_any": ["no_time", "vague_time"]}]},
    },
    {
        "id": "c2-conditional-revisit",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: Is the role still open on your side?\n"
        "Sam Lee: If the hiring freeze lifts next year, let's revisit.\n"
        "Dana Reyes: Sounds fair.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "let's revisit", "secured": False,
             "codes_any": ["open_trigger", "vague_action", "vague_time"]}]},
    },
    {
        "id": "c2-conditional-pick-up-again",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: What would it take to move forward?\n"
        "Jordan Blake: If budget frees up in Q2, we can pick this up again.\n"
        "Alex Kim: Understood.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "pick this up again", "secured": False,
             "codes_any": ["open_trigger", "vague_action", "vague_time"]}]},
    },
    {
        "id": "c2-possibly-to-sign",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Could you sign the renewal by Friday noon?\nJordan Blake: Possibly.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "sign the renewal", "acknowledged": False, "secured": False,
             "codes_any": ["not_acknowledged"]}]},
    },
    {
        "id": "c2-possibly-to-countersign",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Could you countersign the order form by Thursday noon?\n"
        "Jordan Blake: Possibly, we'll see how the week goes.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "countersign the order form", "acknowledged": False, "secured": False,
             "codes_any": ["not_acknowledged"]}]},
    },
    # Class 3: compound sentences, each clause judged on its own.
    {
        "id": "c3-send-and-regroup",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: I'll send the revised SOW over and we can regroup on it next week?\n"
        "Jordan Blake: Sure.\n",
        "expect": {"secured": False, "tier": "none", "no_due_between": ["2026-11-23", "2026-11-29"],
                   "steps": [{"quote": "regroup on it next week", "secured": False,
                              "due": None}]},
    },
    {
        "id": "c3-quote-and-catch-up",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: I'll get the quote to you tomorrow and we can catch up sometime next "
        "week?\nSam Lee: Sounds good.\n",
        "expect": {"secured": False, "tier": "none", "no_due_between": ["2026-11-23", "2026-11-29"],
                   "steps": [{"quote": "catch up sometime next", "secured": False,
                              "due": None}]},
    },
    # Class 4: securing steps that were missed.
    {
        "id": "c4-homework-report-back-notes",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Harbor Clinic - pricing call\n- Their controller checks the term length with "
        "finance and emails us by Friday, agreed on the call.\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "emails us by Friday", "secured": True, "acknowledged": True}]},
    },
    {
        "id": "c4-homework-report-back-said",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: What do you need from us?\n"
        "Jordan Blake: I'll run the payback numbers past our CFO and email you by Friday.\n"
        "Alex Kim: Perfect, thank you.\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "email you by Friday", "secured": True}]},
    },
    {
        "id": "c4-trigger-acknowledged-in-reply",
        "kind": "email", "rep": "alex@vendorly.com", "at": None, "tz": LA,
        "text": _email(JORDAN, ALEX, "Thu, 19 Nov 2026 09:12:00 -0800", "Re: Kickoff",
                       "Great, will tell you as soon as it's through.\n\n"
                       "On Wed, Nov 18, 2026 at 4:00 PM Alex Kim <alex@vendorly.com> wrote:\n"
                       "> Hi Jordan,\n> As soon as your security team signs off, I'll schedule "
                       "the kickoff within 2 business days.\n> Best,\n> Alex\n"),
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "schedule the kickoff within 2 business days", "secured": True,
             "acknowledged": True}]},
    },
    {
        "id": "c4-trigger-acknowledged-said",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: Once legal approves the DPA, I'll book the onboarding session "
        "within 48 hours.\nSam Lee: Great, I'll let you know the minute it's approved.\n",
        "expect": {"secured": True, "tier": "bronze", "steps": [
            {"quote": "book the onboarding session", "secured": True, "acknowledged": True}]},
    },
    {
        "id": "c4-send-times-by-eod-thursday",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Let's meet again to go through the pilot results. I'll send over a few "
        "times by end of day Thursday.\nJordan Blake: Great.\n",
        "expect": {"secured": True, "tier": "silver", "steps": [
            {"quote": "send over a few times", "secured": True,
             "due": "2026-11-19T17:00:00-08:00"}]},
    },
    {
        "id": "c4-they-send-availability",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Panel debrief\n- Agreed to meet again with the hiring manager; they'll send "
        "availability tomorrow (confirmed)\n",
        "expect": {"secured": True, "tier": "silver", "steps": [
            {"quote": "send availability tomorrow", "secured": True}]},
    },
    {
        "id": "c4-nail-down-a-slot",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: We'll nail down a slot over email Monday.\nSam Lee: Sounds good.\n",
        "expect": {"secured": True, "tier": "silver", "steps": [
            {"quote": "nail down a slot", "secured": True, "due": "2026-11-23"}]},
    },
    # Class 5: later words win.
    {
        "id": "c5-time-withdrawn",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Does Tuesday at 10 work for the demo?\n"
        "Jordan Blake: Tuesday at 10 works.\n"
        "Alex Kim: Great, I'll send the invite.\n"
        "Jordan Blake: Actually, let's drop Tuesday for now, I'll come back to you with a new time.\n"
        "Alex Kim: No problem.\n",
        "expect": {"secured": False, "tier": "none"},
    },
    {
        "id": "c5-time-scratched",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: So we're on for the site visit Thursday at 2?\n"
        "Sam Lee: Yes, Thursday at 2.\n"
        "Sam Lee: Hmm, scratch Thursday, I need to check with my boss and will get back to you.\n"
        "Dana Reyes: Okay.\n",
        "expect": {"secured": False, "tier": "none"},
    },
    {
        "id": "c5-notes-cancelled",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "- Demo Thu 2pm w/ Jo (confirmed)\n- Update: Jo cancelled, will reschedule\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "demo thu 2pm", "acknowledged": False, "secured": False}]},
    },
    {
        "id": "c5-pushed-out",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: So Thursday at 3 for the demo?\nJordan Blake: Yes, Thursday at 3.\n"
        "Jordan Blake: Hmm, we need to push it out, I'll let you know.\n",
        "expect": {"secured": False, "tier": "none"},
    },
    {
        "id": "c5-pushed-to-a-new-time-is-a-revision",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: So Thursday at 3 for the demo?\nJordan Blake: Yes, Thursday at 3.\n"
        "Jordan Blake: Actually can we push it back to Friday at 3?\nAlex Kim: Sure, Friday at 3.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"due": "2026-11-20T15:00:00-08:00", "acknowledged": True}]},
    },
    {
        "id": "c5-invite-not-accepted",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Candidate: Lena Park\n- Final interview booked Thu 12/3 9-11am, invite out, "
        "not accepted yet\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "final interview booked", "acknowledged": False, "secured": False}]},
    },
    {
        "id": "c5-invite-no-acceptance",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Onsite planning\n- Onsite set for Mon 11/30 1pm; invite sent, no acceptance yet\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "onsite set for", "acknowledged": False, "secured": False}]},
    },
    {
        "id": "c5-one-way-deliverable",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: I'll send the deck Friday.\nJordan Blake: Great, thanks.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "send the deck Friday", "secured": True}]},
    },
    # Class 6: notes shorthand.
    {
        "id": "c6-tmrw-eod-said-ok",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Harbor Clinic\n- Send revised pricing tmrw EOD, Sam said ok\n",
        "expect": {"steps": [
            {"quote": "send revised pricing", "acknowledged": True,
             "due": "2026-11-19T17:00:00-08:00"}]},
    },
    {
        "id": "c6-review-without-meeting-word",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Budget review w/ Tom + CFO Dec 9 11am (confirmed)\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "budget review w/ tom", "kind": "meeting",
             "due": "2026-12-09T11:00:00-08:00", "secured": True}]},
    },
    {
        "id": "c6-exec-sponsor-review",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "- Exec sponsor review w/ Maria + COO Jan 15 2pm (confirmed)\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "exec sponsor review", "kind": "meeting",
             "due": "2027-01-15T14:00:00-08:00", "secured": True}]},
    },
    {
        "id": "c6-agreed-heading",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Call w/ Harbor Dental\n\nAgreed next steps:\n- Ana sends the usage export by "
        "Friday\n- Joint review of the export Tue 1pm\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "joint review of the export", "acknowledged": True,
             "due": "2026-11-24T13:00:00-08:00"}]},
    },
    {
        "id": "c6-agreed-bullet-heading",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Harbor Dental sync\n- Agreed next steps:\n  - Ana sends the usage export by "
        "Friday\n  - Walkthrough of the export Tue 1pm w/ Ana\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "walkthrough of the export", "acknowledged": True,
             "due": "2026-11-24T13:00:00-08:00"},
            {"quote": "ana sends the usage export", "acknowledged": True}]},
    },
    {
        "id": "c6-agreed-heading-without-colon",
        "kind": "notes", "rep": None, "at": WED, "tz": LA,
        "text": "Pilot review\nAgreed next steps\n* Rahul shares the ticket volumes by Mon\n"
        "* Pilot readout Thu 12/3 11am\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"quote": "pilot readout", "acknowledged": True,
             "due": "2026-12-03T11:00:00-08:00"}]},
    },
    # Class 7: choosing an offered option.
    {
        "id": "c7-thursday-better",
        "kind": "transcript", "rep": "Alex Kim", "at": FRI, "tz": LA,
        "text": "Alex Kim: Would Monday at 9 or Thursday at 3 PT work for the walkthrough?\n"
        "Jordan Blake: Thursday's better for us.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"due": "2026-11-26T15:00:00-08:00", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "c7-wednesday-works-best",
        "kind": "transcript", "rep": "Priya Nair", "at": FRI, "tz": LA,
        "text": "Priya Nair: Tuesday at 11 or Wednesday at 4 for the second viewing?\n"
        "Ben Ortiz: Wednesday works best for me.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"due": "2026-11-25T16:00:00-08:00", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "c7-go-with-tuesday",
        "kind": "transcript", "rep": "Dana Reyes", "at": FRI, "tz": LA,
        "text": "Dana Reyes: For the debrief call we could do Monday 10am or Tuesday 2pm.\n"
        "Sam Lee: Let's go with Tuesday.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"due": "2026-11-24T14:00:00-08:00", "acknowledged": True, "secured": True}]},
    },
    {
        "id": "c7-the-wednesday-one",
        "kind": "transcript", "rep": "Priya Nair", "at": WED, "tz": LA,
        "text": "Priya Nair: Tuesday 3pm or Wednesday 11am for the tour?\nBen Ortiz: The Wednesday one.\n",
        "expect": {"secured": True, "tier": "gold", "steps": [
            {"due": "2026-11-25T11:00:00-08:00", "acknowledged": True}]},
    },
    # Class 9: coaching quotes the right words and proposes something that fits.
    {
        "id": "c9-hedge-quoted",
        "kind": "transcript", "rep": "Dana Reyes", "at": WED, "tz": LA,
        "text": "Dana Reyes: Once the pilot sites are confirmed, I'll set up the training "
        "within 48 hours.\nSam Lee: Let me check with Miguel first.\n",
        "expect": {"secured": False, "tier": "none", "steps": [
            {"quote": "set up the training", "codes_any": ["not_acknowledged"],
             "quoting": "Let me check with Miguel first",
             "not_quoting": "pilot sites are confirmed"}]},
    },
    {
        "id": "c9-no-review-before-due",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: I'll send the contract by Friday 5pm.\nJordan Blake: Great, thanks.\n",
        "expect": {"secured": False, "tier": "none", "try_not_proposing": ["Wednesday", "Thursday", "Friday"],
                   "steps": [{"quote": "send the contract", "secured": True}]},
    },
    {
        "id": "c9-no-review-of-an-invite",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: I'll send the calendar invite for the kickoff.\n"
        "Jordan Blake: Let's talk about the data migration first.\n",
        "expect": {"secured": False, "tier": "none", "try_not_containing": ["go through it"],
                   "steps": [{"quote": "calendar invite for the kickoff", "secured": False}]},
    },
    {
        "id": "c9-no-doubled-label",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Let's do a walkthrough to walk through the contract together.\n"
        "Jordan Blake: Maybe.\n",
        "expect": {"secured": False, "tier": "none", "no_doubled_words": True},
    },
    {
        "id": "c9-one-line-per-problem",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Let's touch base sometime next week.\n"
        "Jordan Blake: Maybe.\n"
        "Alex Kim: And I'll send some info over.\n"
        "Jordan Blake: Hmm.\n",
        "expect": {"secured": False, "tier": "none", "max_conversation_findings": 2},
    },
    # A clear no is a clean ending; a soft no is a stall.
    {
        "id": "no-clear-other-vendor",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Could we set up the security review Thursday at 2?\n"
        "Jordan Blake: Thanks, but we've decided to go with another vendor. Please close this "
        "out on your side.\n",
        "expect": {"secured": False, "tier": "none", "outcome": "clear_no",
                   "no_conversation_codes": ["vague_action", "not_acknowledged", "vague_time"]},
    },
    {
        "id": "no-clear-candidate-withdraws",
        "kind": "email", "rep": "dana@talentbridge.io", "at": None, "tz": NY,
        "text": _email("Lena Park <lena.park@mailbox.org>", "Dana Reyes <dana@talentbridge.io>",
                       "Thu, 19 Nov 2026 08:30:00 -0500", "Re: Final round",
                       "Hi Dana,\n\nAfter a lot of thought I'm withdrawing from the process; I've "
                       "accepted another offer.\n\nThank you for everything,\nLena\n\n"
                       "On Wed, Nov 18, 2026 at 5:00 PM Dana Reyes <dana@talentbridge.io> wrote:\n"
                       "> Hi Lena, let's touch base next week about the final round.\n"),
        "expect": {"secured": False, "tier": "none", "outcome": "clear_no",
                   "no_conversation_codes": ["vague_action", "not_acknowledged", "vague_time"]},
    },
    {
        "id": "no-clear-not-a-fit",
        "kind": "transcript", "rep": "Priya Nair", "at": WED, "tz": LA,
        "text": "Priya Nair: Shall we book the second showing for Saturday at 11?\n"
        "Ben Ortiz: To be honest this isn't a fit for us, we're going to pass on the house.\n",
        "expect": {"secured": False, "tier": "none", "outcome": "clear_no",
                   "no_conversation_codes": ["vague_action", "not_acknowledged", "vague_time"]},
    },
    {
        "id": "no-soft-is-a-stall",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Could we set up the security review Thursday at 2?\n"
        "Jordan Blake: Not right now, maybe next quarter.\n",
        "expect": {"secured": False, "tier": "none", "outcome": "open",
                   "conversation_codes_any": ["not_acknowledged"]},
    },
    {
        "id": "outcome-secured",
        "kind": "transcript", "rep": "Alex Kim", "at": WED, "tz": LA,
        "text": "Alex Kim: Could we set up the security review Thursday at 2?\n"
        "Jordan Blake: Thursday at 2 works.\n",
        "expect": {"secured": True, "tier": "gold", "outcome": "secured"},
    },
]  # fmt: skip
