"""Class 12: mail from other clients and languages. Reply headers, Outlook header blocks,
bold markers and mobile signatures as clients in other languages write them; history with
no "> " marks is never credited to the newest author."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.mail.parse import parse_email
from bot.mail.signatures import strip_signature

HEAD = (
    "From: Dana Reyes <dana@nextco.com>\nTo: Jane Doe <jane@acme.com>\n"
    "Subject: Re: Renewal\nDate: Fri, 20 Nov 2026 09:00:00 +0100\n\n"
)
REPLY = "Thanks, Thursday at 10 works for me."
OLD = "Could we meet next week about the renewal terms?"

ATTRIBUTIONS = {
    "de_am_schrieb": "Am 19.11.2026 um 15:02 schrieb Jane Doe <jane@acme.com>:",
    "de_schrieb_am": "Jane Doe <jane@acme.com> schrieb am Do., 19. Nov. 2026, 15:02:",
    "nl_schreef": "Op do 19 nov. 2026 om 15:02 schreef Jane Doe <jane@acme.com>:",
    "nl_geschreven": "Op 19 nov. 2026, om 15:02 heeft Jane Doe <jane@acme.com> het volgende geschreven:",
    "pl_napisal": "czw., 19 lis 2026 o 15:02 Jane Doe <jane@acme.com> napisał(a):",
    "pl_pisze": "W dniu 19.11.2026 o 15:02, Jane Doe pisze:",
    "ru_pishet": "19 нояб. 2026 г., в 15:02, Jane Doe <jane@acme.com> пишет:",
    "uk_pyshe": "чт, 19 лист. 2026 о 15:02 Jane Doe <jane@acme.com> пише:",
    "fr_a_ecrit": "Le jeu. 19 nov. 2026 à 15:02, Jane Doe <jane@acme.com> a écrit :",
    "es_escribio": "El jue, 19 nov 2026 a las 15:02, Jane Doe (<jane@acme.com>) escribió:",
    "it_ha_scritto": "Il giorno gio 19 nov 2026 alle ore 15:02 Jane Doe <jane@acme.com> ha scritto:",
    "it_webmail": "Il 19 novembre 2026 alle 15.02 Jane Doe <jane@acme.com> ha scritto:",
    "da_skrev": "Den 19. nov. 2026 kl. 15.02 skrev Jane Doe <jane@acme.com>:",
    "sv_skrev": "Den tors 19 nov. 2026 kl 15:02 skrev Jane Doe <jane@acme.com>:",
    "no_skrev": "tor. 19. nov. 2026 kl. 15:02 skrev Jane Doe <jane@acme.com>:",
    "pt_escreveu": "Em qui., 19 de nov. de 2026 às 15:02, Jane Doe <jane@acme.com> escreveu:",
    "gmail_date_first": "2026-11-19 15:02 GMT+01:00 Jane Doe <jane@acme.com>:",
    "gmail_ru_no_verb": "чт, 19 нояб. 2026 г. в 15:02, Jane Doe <jane@acme.com>:",
    "gmail_no_on": "Thu, Nov 19, 2026 at 3:02 PM Jane Doe <jane@acme.com> wrote:",
}

BLOCKS = {
    "it": ("Da:", "Inviato:", "A:", "Oggetto:", "giovedì 19 novembre 2026 15:02"),
    "da": ("Fra:", "Sendt:", "Til:", "Emne:", "19. november 2026 15:02"),
    "sv": ("Från:", "Skickat:", "Till:", "Ämne:", "den 19 november 2026 15:02"),
    "ru": ("От:", "Отправлено:", "Кому:", "Тема:", "19 ноября 2026 г. 15:02"),
    "de": ("Von:", "Gesendet:", "An:", "Betreff:", "Donnerstag, 19. November 2026 15:02"),
    "fr": ("De :", "Envoyé :", "À :", "Objet :", "jeudi 19 novembre 2026 15:02"),
    "es": ("De:", "Enviado:", "Para:", "Asunto:", "jueves, 19 de noviembre de 2026 15:02"),
    "nl": ("Van:", "Verzonden:", "Aan:", "Onderwerp:", "donderdag 19 november 2026 15:02"),
    "pl": ("Od:", "Wysłano:", "Do:", "Temat:", "czwartek, 19 listopada 2026 15:02"),
    "pt": ("De:", "Enviado:", "Para:", "Assunto:", "quinta-feira, 19 de novembro de 2026 15:02"),
}

MOBILE = [
    "Von meinem iPhone gesendet",
    "Envoyé de mon iPhone",
    "Enviado desde mi iPhone",
    "Inviato da iPhone",
    "Sent from my Galaxy",
    "Get Outlook for iOS",
    "Get Outlook for Android",
    "Sent from Mail for Windows",
    "Verzonden vanaf mijn iPhone",
    "Skickat från min iPhone",
    "Отправлено с iPhone",
    "Von meinem Mobilgerät gesendet",
    "Envoyé depuis mon iPhone",
    "Sendt fra min iPhone",
    "Wysłane z iPhone'a",
    "Enviado do meu iPhone",
    "Sent from Yahoo Mail on Android",
    "Get Outlook for iOS<https://aka.ms/o0ukef>",
]


def parts(body: str) -> list[tuple[str | None, datetime | None, str]]:
    email = parse_email((HEAD + body).encode("utf-8"))
    return [(p.author.email if p.author else None, p.date, p.body) for p in email.parts]


@pytest.mark.parametrize("marks", ["> ", ""], ids=["quoted", "unquoted"])
@pytest.mark.parametrize("line", list(ATTRIBUTIONS.values()), ids=list(ATTRIBUTIONS))
def test_reply_headers_in_other_languages_split_the_thread(line: str, marks: str) -> None:
    found = parts(f"{REPLY}\n\n{line}\n{marks}{OLD}\n")
    assert len(found) == 2, found
    assert found[0][2] == REPLY  # the newest author's words only
    assert found[1][2] == OLD
    if "@" in line:
        assert found[1][0] == "jane@acme.com"
    date = found[1][1]  # read in the attribution's own language
    assert date is not None and (date.day, date.hour, date.minute) == (19, 15, 2), date


@pytest.mark.parametrize("lang", list(BLOCKS))
def test_outlook_header_blocks_in_other_languages(lang: str) -> None:
    author, sent, to, subject, date = BLOCKS[lang]
    block = (
        f"{author} Jane Doe <jane@acme.com>\n{sent} {date}\n"
        f"{to} Dana Reyes <dana@nextco.com>\n{subject} Renewal\n\n{OLD}\n"
    )
    for shape in (block, "________________________________\n" + block):
        found = parts(f"{REPLY}\n\n{shape}")
        assert len(found) == 2, (shape, found)
        assert found[0][2] == REPLY
        assert found[1][0] == "jane@acme.com"
        assert found[1][2] == OLD
        date = found[1][1]
        assert date is not None and (date.month, date.day, date.hour) == (11, 19, 15), date


@pytest.mark.parametrize(
    "block",
    [
        "*-----Original Message-----*\n*From:* Jane Doe <jane@acme.com>\n"
        "*Sent:* Thursday, November 19, 2026 3:02 PM\n*To:* Dana Reyes\n*Subject:* Renewal\n",
        "**From:** Jane Doe <jane@acme.com>\n**Sent:** Thursday, November 19, 2026 3:02 PM\n"
        "**To:** Dana Reyes <dana@nextco.com>\n**Subject:** Renewal\n",
        "*Original Message*\n*From:* Jane Doe <jane@acme.com>\n"
        "*Date:* Thursday, November 19, 2026 3:02 PM\n*Subject:* Renewal\n",
    ],
    ids=["bold-dashes", "markdown-bold", "bold-words"],
)
def test_bold_markers(block: str) -> None:
    found = parts(f"{REPLY}\n\n{block}\n{OLD}\n")
    assert len(found) == 2, found
    assert found[0][2] == REPLY
    assert found[1][0] == "jane@acme.com"
    assert found[1][2] == OLD
    assert found[1][1] is not None and found[1][1].day == 19


@pytest.mark.parametrize("signature", MOBILE)
def test_mobile_signatures_in_many_languages(signature: str) -> None:
    assert strip_signature(f"{REPLY}\n\n{signature}") == REPLY
    assert strip_signature(f"{REPLY}\n{signature}\n") == REPLY


def test_a_sentence_about_a_phone_is_kept() -> None:
    text = "Sent from my iPhone the contract, can you check it arrived before Friday?"
    assert strip_signature(f"{REPLY}\n\n{text}") == f"{REPLY}\n\n{text}"


def test_unquoted_history_is_not_credited_to_the_newest_author_through_analyze() -> None:
    message = HEAD + (
        "Danke, bis dann.\n\n"
        "Am 19.11.2026 um 15:02 schrieb Jane Doe <jane@acme.com>:\n"
        "I'll send you the signed order form by Friday noon.\n"
    )
    result = CliRunner().invoke(
        build_app(),
        ["analyze", "-", "--tz", "Europe/Berlin", "--rep", "Dana Reyes", "--format", "json"],
        input=message.encode("utf-8"),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    order = [s for s in report["steps"] if "order form" in s["evidence"]["quote"]]
    assert len(order) == 1, report["steps"]
    assert order[0]["evidence"]["speaker"] == "Jane Doe"
    assert order[0]["owner"] != "rep"


def test_unquoted_history_in_the_text_report() -> None:
    message = HEAD + (
        "Danke, bis dann.\n\n"
        "Von: Jane Doe <jane@acme.com>\nGesendet: Donnerstag, 19. November 2026 15:02\n"
        "An: Dana Reyes <dana@nextco.com>\nBetreff: Renewal\n\n"
        "I'll send you the signed order form by Friday noon.\n"
    )
    result = CliRunner().invoke(
        build_app(),
        ["analyze", "-", "--tz", "Europe/Berlin", "--rep", "Dana Reyes"],
        input=message.encode("utf-8"),
    )
    assert result.exit_code == 0, result.output
    assert "email, 2 turns" in result.stdout
    assert "send you the signed order form" in result.stdout
    assert "Von:" not in result.stdout and "Traceback" not in result.output
