"""A fake Telegram Bot API server for end-to-end tests and benchmarks, standard library only.

The real bot runs as a subprocess (:class:`BotProcess`) with
``TELEGRAM_API_BASE_URL=<server.base_url>`` and talks HTTP to :class:`FakeTelegramServer`
exactly as it would to ``api.telegram.org``: ``{base_url}/bot{token}/{method}``. The server
answers only the methods the bot calls (:data:`fake_bot_api.methods.METHODS`).

Tests play the user (``user_sends``, ``user_presses``, ``user_shares_location``,
``bot_blocked_by``...), read what the bot did (``calls``, ``sent_to``, ``delivered``,
``wait_for``, ``message``, ``last_message_to``, ``commands``, ``description``) and inject
faults (``fail_next``, ``set_faults``, ``delay``, ``set_rate_limit``).

Modules: ``wire`` (errors, request parsing, JSON shapes), ``entities`` (Telegram HTML),
``state`` (what the server knows, :class:`Call`), ``methods`` (one handler per method),
``faults``, ``http`` (server and routing), ``server`` (:class:`FakeTelegramServer`),
``process`` (:class:`BotProcess`). Standalone: ``python -m fake_bot_api --port 8081``.

Fidelity notes:

* With ``parse_mode="HTML"`` the text is validated like Telegram does and the stored/returned
  message carries the *plain* text plus ``entities`` (so PTB's ``Message.text_html`` round-trips);
  ``Call.params["text"]`` keeps exactly what the bot sent. Markdown modes are not parsed.
* Only inline keyboards are part of a returned ``Message``; reply keyboards are accepted and
  recorded but, as in Telegram, not echoed back.
* Photos and documents are uploads (the bot never sends by file_id or URL, nor downloads);
  photos must be real PNG/JPEG/GIF images (otherwise ``IMAGE_PROCESS_FAILED``).
"""

from fake_bot_api.entities import HtmlParseError, parse_html, utf16_len
from fake_bot_api.process import BotProcess
from fake_bot_api.server import FakeTelegramServer
from fake_bot_api.state import Call
from fake_bot_api.wire import ApiError, Upload, image_size

__all__ = [
    "ApiError",
    "BotProcess",
    "Call",
    "FakeTelegramServer",
    "HtmlParseError",
    "Upload",
    "image_size",
    "parse_html",
    "utf16_len",
]
