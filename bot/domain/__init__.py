"""Pure-Python core of the coach: content, tip choice, timing, check-in scoring.

Nothing in this package imports ``telegram`` or ``sqlalchemy``, so it can be
tested with literals and reused by any chat platform.
"""
