"""Webhook mode: several instances behind one address share one database.

A small tornado server (tornado comes with PTB's webhooks extra) takes
Telegram's POSTs, checks the secret token header, and feeds the updates to the
same Application (run by ``bot.app``, as in polling mode); ``/healthz`` answers
load balancers. No conversation state lives in process memory, so any instance can
take any update.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from sqlalchemy import text
from telegram import Update

from bot.adapters.telegram.context import CoachApplication
from bot.features.base import Services

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20


class UpdateEndpoint(tornado.web.RequestHandler):
    """POST an update: 403 without the right secret, 400 if not an update, else 200."""

    def initialize(self, bot_app: CoachApplication, secret: str) -> None:
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            self.finish({"ok": False, "description": "forbidden"})
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            self.finish({"ok": False, "description": "not a Telegram update"})
            return
        await self.bot_app.update_queue.put(update)
        self.finish({"ok": True})


class HealthEndpoint(tornado.web.RequestHandler):
    """GET: 200 when the database answers, 503 otherwise."""

    def initialize(self, services: Services) -> None:
        self.services = services

    async def get(self) -> None:
        try:
            await asyncio.to_thread(self._ping)
        except Exception:  # any failure means: do not route traffic here
            self.set_status(503)
            self.finish({"status": "unavailable"})
            return
        self.finish({"status": "ok"})

    def _ping(self) -> None:
        with self.services.session_factory() as session:
            session.execute(text("SELECT 1"))


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def make_web_app(
    application: CoachApplication, services: Services, secret: str, path: str
) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (path, UpdateEndpoint, {"bot_app": application, "secret": secret}),
            (r"/healthz", HealthEndpoint, {"services": services}),
        ]
    )


@asynccontextmanager
async def receiving(application: CoachApplication, services: Services) -> AsyncIterator[None]:
    """Serve updates while the block runs: listen on WEBHOOK_LISTEN:WEBHOOK_PORT and
    tell Telegram where to post them; then stop listening."""
    settings = services.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    web = make_web_app(application, services, secret, webhook_path(settings.webhook_url))
    server = tornado.httpserver.HTTPServer(web, max_body_size=MAX_BODY)
    server.listen(settings.webhook_port, address=settings.webhook_listen)
    try:
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        log.info("webhook mode on %s:%s", settings.webhook_listen, settings.webhook_port)
        yield
    finally:
        server.stop()
