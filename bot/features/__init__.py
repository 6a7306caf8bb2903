"""The bot's conversations, platform-neutral: each feature module turns a command
or a button press into replies, using the domain and the store. The Telegram
adapter and the terminal chat both call :mod:`bot.features.dispatch`."""
