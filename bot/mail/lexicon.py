"""The words mail clients write around a message, by language and by what they mark.

One table, ``WORDS[language][Marker]``: the verbs that end a reply header ("wrote",
"schrieb", "пишет"), the words that open one ("On", "Am", "Le"), the names of the fields
of an Outlook header block ("From"/"Von"/"От"), forward and "Original Message" markers,
and mobile signatures ("Sent from my {device}"). ``bot.mail.forwards``, ``bot.mail.quotes``
and ``bot.mail.signatures`` build their patterns, and their fast pre-filters, from it:
adding a language or a phrase is a change here alone.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Marker(StrEnum):
    REPLY_OPENER = "reply_opener"  # words before the date of a reply header: "On", "Am"
    REPLY_VERB = "reply_verb"  # the verb of a reply header: "wrote", "a écrit"
    REPLY_FILLER = "reply_filler"  # words between its date and person: "at", "um", "heeft"
    FORWARD = "forward"  # a forward marker's words: "Forwarded message"
    FORWARD_LINE = "forward_line"  # a forward line, less its colon: "Begin forwarded message"
    ORIGINAL = "original"  # Outlook's "-----Original Message-----" words
    FROM = "from"  # the names of the fields of a header block
    DATE = "date"
    TO = "to"
    CC = "cc"
    SUBJECT = "subject"
    OTHER_FIELD = "other_field"  # fields a header block may hold that nextstep does not read
    MOBILE = "mobile"  # a mobile signature; "{device}" stands for the device or app
    SIGN_OFF = "sign_off"  # a closing line: "Best regards", "Viele Grüße" (then a name)
    FORWARD_SUBJECT = "forward_subject"  # a forward's subject prefix: "Fwd", "WG", "VB"


WORDS: dict[str, dict[Marker, tuple[str, ...]]] = {
    "en": {
        Marker.REPLY_OPENER: ("On", "At"),
        Marker.REPLY_VERB: ("wrote",),
        Marker.REPLY_FILLER: ("at",),
        Marker.FORWARD: ("Forwarded message", "Forwarded Message"),
        Marker.FORWARD_LINE: ("Begin forwarded message",),
        Marker.ORIGINAL: ("Original Message",),
        Marker.FROM: ("From",),
        Marker.DATE: ("Sent", "Date"),
        Marker.TO: ("To",),
        Marker.CC: ("Cc",),
        Marker.SUBJECT: ("Subject",),
        Marker.OTHER_FIELD: ("Reply-To", "Importance", "Bcc"),
        Marker.MOBILE: (
            "Sent from my {device}", "Sent from {device}", "Sent via {device}",
            "Sent with {device}", "Sent using {device}", "Sent on my {device}", "Sent by {device}",
            "Get Outlook for {device}",
        ),
        Marker.SIGN_OFF: (
            "best", "thanks", "thank you", "thanks again", "thx", "many thanks", "regards",
            "best regards", "kind regards", "warm regards", "warmest regards", "warmly",
            "cheers", "sincerely", "all the best", "talk soon", "speak soon", "take care",
            "best wishes", "warm wishes", "kind wishes", "all best", "with thanks",
            "thanks so much", "thank you so much", "with gratitude", "yours", "yours truly",
            "respectfully", "have a great day", "have a great weekend",
        ),
        Marker.FORWARD_SUBJECT: ("Fwd", "Fw"),
    },
    "de": {
        Marker.REPLY_OPENER: ("Am",),
        Marker.REPLY_VERB: ("schrieb",),
        Marker.REPLY_FILLER: ("um",),
        Marker.FORWARD: ("Weitergeleitete Nachricht",),
        Marker.FORWARD_LINE: ("Anfang der weitergeleiteten Nachricht",),
        Marker.ORIGINAL: ("Original-Nachricht", "Ursprüngliche Nachricht", "Originalnachricht"),
        Marker.FROM: ("Von",),
        Marker.DATE: ("Gesendet", "Datum"),
        Marker.TO: ("An",),
        Marker.CC: ("Kopie", "Cc"),
        Marker.SUBJECT: ("Betreff",),
        Marker.OTHER_FIELD: ("Antwort an",),
        Marker.MOBILE: (
            "Von meinem {device} gesendet", "Gesendet von meinem {device}",
            "Gesendet von {device}", "Gesendet mit {device}",
            "Diese Nachricht wurde von meinem {device} gesendet",
        ),
        Marker.SIGN_OFF: ("viele grüße", "beste grüße", "liebe grüße", "mit freundlichen grüßen", "freundliche grüße", "gruß", "grüße", "mfg"),
        Marker.FORWARD_SUBJECT: ("WG",),
    },
    "fr": {
        Marker.REPLY_OPENER: ("Le",),
        Marker.REPLY_VERB: ("a écrit",),
        Marker.REPLY_FILLER: ("à",),
        Marker.FORWARD: ("Message transféré", "Message transfere"),
        Marker.FORWARD_LINE: ("Début du message réexpédié", "Début du message transféré"),
        Marker.ORIGINAL: ("Message d'origine", "Message d’origine", "Message original"),
        Marker.FROM: ("De",),
        Marker.DATE: ("Envoyé", "Date"),
        Marker.TO: ("À", "A"),
        Marker.CC: ("Cc",),
        Marker.SUBJECT: ("Objet",),
        Marker.OTHER_FIELD: ("Répondre à", "Cci"),
        Marker.MOBILE: ("Envoyé de mon {device}", "Envoyé depuis mon {device}",
                        "Envoyé depuis {device}", "Envoyé avec {device}"),
        Marker.SIGN_OFF: ("cordialement", "bien à vous", "bien cordialement", "merci", "salutations"),
        Marker.FORWARD_SUBJECT: ("TR", "Fwd"),
    },
    "es": {
        Marker.REPLY_OPENER: ("El",),
        Marker.REPLY_VERB: ("escribió",),
        Marker.REPLY_FILLER: ("a las",),
        Marker.FORWARD: ("Mensaje reenviado",),
        Marker.FORWARD_LINE: ("Inicio del mensaje reenviado",),
        Marker.ORIGINAL: ("Mensaje original",),
        Marker.FROM: ("De",),
        Marker.DATE: ("Enviado", "Enviado el", "Fecha"),
        Marker.TO: ("Para",),
        Marker.CC: ("CC",),
        Marker.SUBJECT: ("Asunto",),
        Marker.OTHER_FIELD: ("Responder a", "CCO"),
        Marker.MOBILE: ("Enviado desde mi {device}", "Enviado de mi {device}",
                        "Enviado desde {device}"),
        Marker.SIGN_OFF: ("saludos", "un saludo", "atentamente", "un abrazo", "gracias", "saludos cordiales"),
        Marker.FORWARD_SUBJECT: ("RV",),
    },
    "pt": {
        Marker.REPLY_OPENER: ("Em",),
        Marker.REPLY_VERB: ("escreveu",),
        Marker.REPLY_FILLER: ("às",),
        Marker.FORWARD: ("Mensagem encaminhada",),
        Marker.FORWARD_LINE: ("Início da mensagem reencaminhada",),
        Marker.ORIGINAL: ("Mensagem original",),
        Marker.FROM: ("De",),
        Marker.DATE: ("Enviada", "Enviado", "Data"),
        Marker.TO: ("Para",),
        Marker.CC: ("Cc",),
        Marker.SUBJECT: ("Assunto",),
        Marker.OTHER_FIELD: ("Responder a",),
        Marker.MOBILE: ("Enviado do meu {device}", "Enviado do {device}"),
        Marker.SIGN_OFF: ("atenciosamente", "abraços", "cumprimentos", "obrigado", "obrigada"),
        Marker.FORWARD_SUBJECT: ("ENC", "Fwd"),
    },
    "it": {
        Marker.REPLY_OPENER: ("Il giorno", "Il"),
        Marker.REPLY_VERB: ("ha scritto",),
        Marker.REPLY_FILLER: ("alle ore", "alle"),
        Marker.FORWARD: ("Messaggio inoltrato",),
        Marker.FORWARD_LINE: ("Inizio messaggio inoltrato",),
        Marker.ORIGINAL: ("Messaggio originale",),
        Marker.FROM: ("Da",),
        Marker.DATE: ("Inviato", "Data"),
        Marker.TO: ("A",),
        Marker.CC: ("Cc",),
        Marker.SUBJECT: ("Oggetto",),
        Marker.OTHER_FIELD: ("Risposta", "Rispondi a", "Ccn"),
        Marker.MOBILE: ("Inviato da {device}", "Inviato dal mio {device}"),
        Marker.SIGN_OFF: ("cordiali saluti", "distinti saluti", "saluti", "un saluto", "grazie"),
        Marker.FORWARD_SUBJECT: ("I", "Inoltro"),
    },
    "nl": {
        Marker.REPLY_OPENER: ("Op",),
        Marker.REPLY_VERB: ("schreef", "het volgende geschreven", "geschreven"),
        Marker.REPLY_FILLER: ("om", "heeft"),
        Marker.FORWARD: ("Doorgestuurd bericht",),
        Marker.FORWARD_LINE: ("Begin doorgestuurd bericht",),
        Marker.ORIGINAL: ("Oorspronkelijk bericht", "Origineel bericht"),
        Marker.FROM: ("Van",),
        Marker.DATE: ("Verzonden", "Datum"),
        Marker.TO: ("Aan",),
        Marker.CC: ("CC",),
        Marker.SUBJECT: ("Onderwerp",),
        Marker.OTHER_FIELD: ("Antwoord aan", "Bcc"),
        Marker.MOBILE: ("Verzonden vanaf mijn {device}", "Verzonden met {device}",
                        "Verstuurd vanaf mijn {device}", "Verzonden vanaf {device}"),
        Marker.SIGN_OFF: ("met vriendelijke groet", "vriendelijke groet", "vriendelijke groeten", "groeten", "groet"),
        Marker.FORWARD_SUBJECT: ("Doorst", "FW"),
    },
    "da": {  # Norwegian writes the same words
        Marker.REPLY_OPENER: ("Den",),
        Marker.REPLY_VERB: ("skrev",),
        Marker.REPLY_FILLER: ("kl.", "kl"),
        Marker.FORWARD: ("Videresendt meddelelse", "Videresendt melding"),
        Marker.FORWARD_LINE: ("Start på videresendt besked", "Videresendt melding"),
        Marker.ORIGINAL: ("Oprindelig meddelelse", "Opprinnelig melding", "Originalmeddelelse"),
        Marker.FROM: ("Fra",),
        Marker.DATE: ("Sendt", "Dato"),
        Marker.TO: ("Til",),
        Marker.CC: ("Cc", "Kopi"),
        Marker.SUBJECT: ("Emne",),
        Marker.OTHER_FIELD: ("Svar til",),
        Marker.MOBILE: ("Sendt fra min {device}", "Sendt fra {device}"),
        Marker.SIGN_OFF: ("med venlig hilsen", "venlig hilsen", "mvh", "hilsen", "med vennlig hilsen", "vennlig hilsen"),
        Marker.FORWARD_SUBJECT: ("VS", "Vs"),
    },
    "sv": {
        Marker.REPLY_OPENER: ("Den",),
        Marker.REPLY_VERB: ("skrev",),
        Marker.REPLY_FILLER: ("kl.", "kl"),
        Marker.FORWARD: ("Vidarebefordrat meddelande",),
        Marker.FORWARD_LINE: ("Vidarebefordrat brev",),
        Marker.ORIGINAL: ("Ursprungligt meddelande",),
        Marker.FROM: ("Från",),
        Marker.DATE: ("Skickat", "Datum"),
        Marker.TO: ("Till",),
        Marker.CC: ("Kopia",),
        Marker.SUBJECT: ("Ämne",),
        Marker.OTHER_FIELD: ("Svara till",),
        Marker.MOBILE: ("Skickat från min {device}", "Skickat från {device}"),
        Marker.SIGN_OFF: ("med vänliga hälsningar", "vänliga hälsningar", "hälsningar", "mvh", "vänligen"),
        Marker.FORWARD_SUBJECT: ("VB", "Vb"),
    },
    "pl": {
        Marker.REPLY_OPENER: ("W dniu", "Dnia"),
        Marker.REPLY_VERB: ("napisał(a)", "napisał", "napisała", "pisze"),
        Marker.REPLY_FILLER: ("o",),
        Marker.FORWARD: ("Wiadomość przekazana dalej", "Przekazana wiadomość"),
        Marker.FORWARD_LINE: (),
        Marker.ORIGINAL: ("Oryginalna wiadomość", "Wiadomość oryginalna"),
        Marker.FROM: ("Od",),
        Marker.DATE: ("Wysłano", "Data"),
        Marker.TO: ("Do",),
        Marker.CC: ("DW",),
        Marker.SUBJECT: ("Temat",),
        Marker.OTHER_FIELD: ("Odpowiedź do",),
        Marker.MOBILE: ("Wysłane z {device}", "Wysłano z mojego {device}", "Wysłano z {device}"),
        Marker.SIGN_OFF: ("pozdrawiam", "z poważaniem", "pozdrowienia", "dziękuję"),
        Marker.FORWARD_SUBJECT: ("PD", "Fwd"),
    },
    "ru": {
        Marker.REPLY_OPENER: (),
        Marker.REPLY_VERB: ("пишет", "написал", "написала", "написал(а)"),
        Marker.REPLY_FILLER: ("в", "г.", "пользователь"),
        Marker.FORWARD: ("Пересылаемое сообщение", "Пересланное сообщение"),
        Marker.FORWARD_LINE: (),
        Marker.ORIGINAL: ("Исходное сообщение", "Original Message"),
        Marker.FROM: ("От",),
        Marker.DATE: ("Отправлено", "Дата"),
        Marker.TO: ("Кому",),
        Marker.CC: ("Копия",),
        Marker.SUBJECT: ("Тема",),
        Marker.OTHER_FIELD: ("Ответить",),
        Marker.MOBILE: ("Отправлено с {device}", "Отправлено с моего {device}"),
        Marker.SIGN_OFF: ("с уважением", "всего доброго", "спасибо", "всего наилучшего"),
        Marker.FORWARD_SUBJECT: ("Пересл", "FW"),
    },
    "uk": {
        Marker.REPLY_OPENER: (),
        Marker.REPLY_VERB: ("пише", "написав", "написала"),
        Marker.REPLY_FILLER: ("о", "користувач"),
        Marker.FORWARD: ("Переслане повідомлення",),
        Marker.FORWARD_LINE: (),
        Marker.ORIGINAL: ("Початкове повідомлення",),
        Marker.FROM: ("Від",),
        Marker.DATE: ("Надіслано",),
        Marker.TO: ("Кому",),
        Marker.CC: ("Копія",),
        Marker.SUBJECT: ("Тема",),
        Marker.OTHER_FIELD: (),
        Marker.MOBILE: ("Надіслано з {device}",),
        Marker.SIGN_OFF: ("з повагою", "дякую"),
        Marker.FORWARD_SUBJECT: ("Перес",),
    },
    "zh": {
        Marker.REPLY_OPENER: (),
        Marker.REPLY_VERB: ("写道",),
        Marker.REPLY_FILLER: (),
        Marker.FORWARD: ("转发的邮件",),
        Marker.FORWARD_LINE: (),
        Marker.ORIGINAL: ("原始邮件",),
        Marker.FROM: ("发件人",),
        Marker.DATE: ("发送时间", "日期"),
        Marker.TO: ("收件人",),
        Marker.CC: ("抄送",),
        Marker.SUBJECT: ("主题",),
        Marker.OTHER_FIELD: (),
        Marker.MOBILE: ("从我的 {device} 发送", "從我的 {device} 傳送", "从我的{device}发送"),
        Marker.SIGN_OFF: ("此致", "谢谢", "祝好"),
        Marker.FORWARD_SUBJECT: ("转发",),
    },
}  # fmt: skip

# What a mobile signature names after "Sent from my": a device or a mail app.
DEVICES = (
    "iPhone", "iPad", "iPod", "Android", "Samsung", "Galaxy", "Outlook", "Mail", "Mailbox",
    "BlackBerry", "Yahoo", "mobile", "Mobilgerät", "Mobiltelefon", "Handy", "smartphone",
    "Pixel", "Huawei", "Xiaomi", "phone", "device", "Spark", "Superhuman", "HEY", "Proton",
    "Shortwave", "Spike", "Airmail", "BlueMail", "Edison", "Canary", "Missive", "Newton",
    "Gmail", "Windows", "Nokia", "HTC", "Motorola", "Sony", "iOS", "cell", "tablet",
)  # fmt: skip


def words(marker: Marker) -> tuple[str, ...]:
    """Every language's words for ``marker``, longest first (so alternations prefer them)."""
    found = {word for table in WORDS.values() for word in table.get(marker, ())}
    return tuple(sorted(found, key=lambda word: (-len(word), word)))


def alternation(marker: Marker) -> str:
    """A regex alternation of every language's words for ``marker``, spaces loose."""
    return "|".join(_loose(word) for word in words(marker))


def field_names() -> dict[str, Marker]:
    """Each field name of a header block (lower case) and the field it names."""
    fields = (Marker.OTHER_FIELD, Marker.FROM, Marker.DATE, Marker.TO, Marker.CC, Marker.SUBJECT)
    return {word.lower(): marker for marker in fields for word in words(marker)}


_DEVICE = (
    r"[\w .'’&-]{0,40}?(?:"
    + "|".join(DEVICES)
    + r")(?:\b|(?=https?:|[^\x00-\x7f]))[\w .'’&()-]{0,40}?"
    r"(?:\s*<[^>\s]*>|\s*https?://\S*)?"
    r"(?:[,.;]?\s*(?:please\s+)?(?:excuse|pardon|forgive)\b[\w .'’-]{0,40})?"
)


def mobile_pattern() -> re.Pattern[str]:
    """A whole line that is a mobile signature in any language of the table."""
    phrases = "|".join(
        _loose(phrase).replace(re.escape("{device}"), _DEVICE) for phrase in words(Marker.MOBILE)
    )
    return re.compile(rf"^[\s(<]*(?:{phrases})[\s.!)>]*$", re.I)


def mobile_hints() -> tuple[str, ...]:
    """Lower-case words one of which every mobile signature line holds: the first word
    before (or, when it opens with the device, after) the device."""
    hints = set()
    for phrase in words(Marker.MOBILE):
        before, _, after = phrase.partition("{device}")
        hints.add((before.strip() or after.strip()).split()[0].lower())
    return tuple(sorted(hints))


def _loose(word: str) -> str:
    """``word`` as a regex: literal, any run of spaces matching one or more."""
    return r"\s+".join(re.escape(part) for part in word.split())
