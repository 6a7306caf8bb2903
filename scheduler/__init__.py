"""The minute tick that finds who is due and delivers nudges within Telegram's limits."""
