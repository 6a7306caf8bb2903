"""Adapters: each translates between one platform and the neutral core (bot.features)."""
