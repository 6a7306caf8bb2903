"""Invitation codes for pairing: random, single use, typed or opened as a link.

A code is ten characters of Crockford's base 32 (digits and capitals without I, L, O,
U: nothing to confuse when read aloud or typed), 50 bits from the operating system's
random source: never derived from anyone's id, and far too many to guess. People may
type it in any case, with spaces or dashes, and with O for 0 or I/L for 1. Only its
SHA-256 is stored, so the store never holds a code that would pair with anyone.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
LINK_PREFIX = "pair-"  # /start pair-<code>: the deep link's argument
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The code someone typed or opened (``ab12-cd34 ef``, ``pair-AB12CD34EF``), as
    issued; ``None`` if it cannot be one."""
    text = text.strip()
    if text.lower().startswith(LINK_PREFIX):
        text = text[len(LINK_PREFIX) :]
    code = "".join(ch for ch in text.upper() if ch not in " -_").translate(_READ_AS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def digest(code: str) -> str:
    """What is stored of a code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def shown(code: str) -> str:
    """The code as people read it: ``AB12C-D34EF``."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def link_argument(code: str) -> str:
    return LINK_PREFIX + code
