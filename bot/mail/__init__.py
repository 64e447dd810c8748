"""Reading email: who wrote each part of a thread, when, and what they said.

``bot.mail.parse.parse_email`` is the entry point. Its parts, in the order a message meets
them: ``headers`` (the message's own headers, read defensively), ``mime`` (the MIME tree:
body, attachments, calendar parts, attached messages), ``text`` and ``html`` (charsets,
format=flowed, HTML to text), ``thread`` with ``forwards`` and ``quotes`` (one text split
into the messages it carries), ``dates`` and ``addresses`` (what those messages say about
their author and time), ``boilerplate`` and ``signatures`` (what no author wrote).

Pure: stdlib ``email``, html2text and dateparser only; no Slack, database or environment.
"""
