"""The Slack app: Bolt listeners (``listeners/``) over a narrow service (``service.py``),
Block Kit built by pure functions (``blocks/``)."""
