"""The python-telegram-bot adapter: turn each update into a call of the neutral core
(bot.features.core), render what comes back, send nudges, take updates by polling."""
