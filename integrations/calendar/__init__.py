"""Calendar adapters behind ``bot.calendar.model.CalendarSource``: iCalendar files,
feeds and iTIP mail (``ics``, ``feed``) and Google Calendar (``google``)."""
