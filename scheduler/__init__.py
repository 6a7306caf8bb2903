"""The minute tick that finds who is due and delivers nudges within the platform's limits.

It imports no feature: what the nudges say is handed in (``NudgeMessages``), and
where they go (a ``Sender``), by the wiring place, ``bot.app``."""
