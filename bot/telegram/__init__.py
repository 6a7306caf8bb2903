"""The thin python-telegram-bot adapter: read the update, call the features, reply."""
