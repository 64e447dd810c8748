"""Reading email: MIME, charsets, HTML, forwards, quoted replies and signatures.

``bot.mail.parse.parse_email`` is the entry point; the other modules are its parts.
Pure: stdlib ``email``, html2text and dateparser only; no Slack, database or environment.
"""
