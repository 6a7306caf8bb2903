"""The bot's conversations, platform-neutral: each feature module turns a command
or a button press into replies, using the domain and the store. Every adapter (the
Telegram one, the terminal chat) calls :class:`bot.features.core.Core`."""
