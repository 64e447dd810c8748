"""Signatures, footers and banners are cut; real content never is."""

from __future__ import annotations

import pytest

from bot.mail.model import Mailbox
from bot.mail.signatures import strip_signature

JANE = Mailbox("Jane Doe", "jane@acme.com")
BODY = "Thursday at 10 works. See you then."


@pytest.mark.parametrize(
    "tail",
    [
        "Best,\nJane Doe\nVP Ops | Acme\n+1 812-924-7085",
        "Best regards,\n\nJane Doe\nVP Operations\nAcme Corp\n1200 Main St, Suite 400\nAustin, TX 78701",
        "Thanks, Jane\nVP Ops",
        "Cheers,\nJ.\n(she/her)",
        "Cordialement,\nJane Doe\nDirectrice des opérations\n+33 1 42 68 53 00",
        "Viele Grüße\nJane Doe\nTel. +49 40 123456-0",
        "-- \nJane Doe\nAcme",
        "--\nJane",
        "Sent from my iPhone",
        "Sent from Outlook for Android",
        "Get Outlook for iOS<https://aka.ms/o0ukef>",
        "Von meinem iPhone gesendet",
        "Jane",
        "-Jane",
        "Jane Doe | VP Operations | Acme Corp | +1 812-924-7085",
        "Jane Doe\nVP Operations, Acme Corp",
        "Best,\nJane Doe\nAccount Executive | Acme\nOOO Nov 26-27, back Monday Nov 30\n(415) 555-0134",
        "This email and any attachments are confidential and intended solely for the addressee."
        "\nIf you are not the intended recipient, delete it. Meetings before Dec 31 are final.",
        "CONFIDENTIALITY NOTICE: The information in this e-mail is privileged.",
        "To unsubscribe from this group, send an email to x+unsubscribe@acme.com.",
        "You received this message because you are subscribed to the Acme group.",
        "Schedule a 30 minute meeting: https://calendly.com/jane/30min",
        "Book time with me",
        "Sent with Shortwave",
        "Jane Doe\nAcme Search",
        "Jane Doe\nAcme Realty\n\nEqual Housing Opportunity. Information deemed reliable but not guaranteed. "
        "This message and any attachments are confidential. (c) 2027 Acme Realty. Updated January 1, 2027.",
        "Best wishes,\nJane\n\nJane Doe | Acme\n020 7946 0321\nMeet us at Hospitality Tech Expo, 18-19 March, ExCeL London.",
        "Jane\n\nJane Doe | Acme | (206) 555-0157\nOur offices were closed July 5 for Independence Day; replies may be slower.",
        "Jane\n\nJane Doe | Senior CSM | Acme\nAcme will be closed Nov 27-28 for Thanksgiving.",
        "Warm wishes,\nJane Doe\nExecutive Coach | 07700 900123\nAcme Ltd, registered in England and Wales no. 09876543",
        "Regards,\nJane Doe\nGlobal IT Service Desk\n\nTicket INC-55821 | Opened 2027-06-21 | Priority P3\n"
        "Please do not change the subject line when replying.",
        "[Quoted text hidden]",
        "Join Zoom Meeting\nhttps://us02web.zoom.us/j/8123456789?pwd=abc\n\nMeeting ID: 812 345 6789\n"
        "Passcode: 123456\n\n---\n\nOne tap mobile\n+16699006833,,8123456789#,,,,*123456# US (San Jose)",
        "________________________________________________________________________________\n"
        "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
        "Click here to join the meeting\nMeeting ID: 223 456 789 012\nPasscode: aBc123\n"
        "Download Teams | Join on the web\nLearn More | Meeting options\n"
        "________________________________________________________________________________",
    ],
)
def test_signatures_and_footers_are_cut(tail: str) -> None:
    assert strip_signature(f"{BODY}\n\n{tail}\n", JANE) == BODY


@pytest.mark.parametrize(
    "text",
    [
        "Thanks,\n\nOne more thing: can we move the check-in to Friday at 3pm? Our CFO is out.",
        "Best,\nJane\nP.S. I'll send the usage export by Wednesday.",
        "Thanks!",
        "Next steps:\n- Proposal\n- Demo",
        "Next steps:\n\nAcme Demo\nThursday 2pm | Zoom",
        "Regards to your team. We will review the proposal Thursday at 10 with our CFO and "
        "come back to you by Friday with a decision on the scope.",
        "The file is confidential, so please keep it internal until Monday.",
        "Can you book time with the CFO on Thursday for the review?",
        "Here's my calendar link, https://calendly.com/jane/30min, but Thursday at 10 is what we agreed "
        "and I'd rather we keep it, so please don't rebook through the link.",
        "Best,\nJane\n\nCan you confirm Thursday?",
        "Meeting ID: we still need one for the Thursday demo, can you create it?",
        "Join us Thursday at 10 for the demo; the passcode will follow.",
        "Best,\nJane\n+1 812-924-7085\nAlso, I'll send the usage export by Wednesday noon.",
        "Thanks,\nJane Doe | Acme\nCan we move the review to Friday?",
    ],
)
def test_content_is_kept(text: str) -> None:
    assert strip_signature(text, JANE) == text


def test_an_external_sender_banner_at_the_top_goes() -> None:
    text = (
        "CAUTION: This email originated from outside of the organization. Do not click links.\n\n"
        f"{BODY}"
    )
    assert strip_signature(text, JANE) == BODY


def test_a_booking_line_inside_the_text_goes_but_the_text_around_it_stays() -> None:
    text = f"{BODY}\nGrab time on my calendar: https://meetings.hubspot.com/jane\nThanks again."
    assert strip_signature(text, JANE) == f"{BODY}\nThanks again."


def test_a_name_line_is_only_cut_when_it_is_the_authors() -> None:
    assert strip_signature(f"{BODY}\n\nMarcus", JANE) == f"{BODY}\n\nMarcus"
    assert strip_signature(f"{BODY}\n\nJane", JANE) == BODY


def test_part_of_a_shared_inbox_name_is_the_authors_name() -> None:
    desk = Mailbox("Service Desk - Jess Park", "servicedesk@acme.com")
    assert strip_signature(f"{BODY}\n\nJess Park\nService Desk", desk) == BODY


def test_confidential_in_a_sentence_is_not_a_footer() -> None:
    text = f"{BODY}\n\nThe pricing in this proposal is confidential until Monday, please keep it internal."
    assert strip_signature(text, JANE) == text
