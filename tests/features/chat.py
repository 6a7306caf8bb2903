"""A recording backend over the neutral core: behaviour tests that read like chats.

No platform library is involved. A :class:`Chat` is one person in one chat (their
private chat with the bot, or a group): ``await chat.send("/tip")``, ``await
chat.press("Another tip")`` (by the label the person sees), then read back what they
see as plain objects: ``chat.messages``, ``chat.last``, ``chat.notice`` (the toast of
the last press). A press whose result edits its message changes that message in place,
so a button an edit took away can no longer be pressed. Every ``Chat`` over the same
core shares one :class:`Transcript`, so two users, or a user and a group, see their own
chats side by side, and the nudges of :meth:`Chat.tick` land in the chat of the user
they are for.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

import pytest

from bot.domain.platform import Capabilities
from bot.domain.replies import Attachment, Button, Reply
from bot.features.base import Identity, Services
from bot.features.core import Core
from bot.features.outgoing import Outgoing
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler, TickReport
from tests.conftest import agree

BOT_USERNAME = "CoachTestBot"
MARK = "• "  # the mark of the current answer, not part of what a person would press


@dataclass(eq=False)
class Message:
    """One message of the bot as the chat shows it now (edits change it in place)."""

    id: int
    chat_id: int
    text: str
    keyboard: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    nudge: bool = False  # sent by the scheduler, not in answer to anything
    edits: int = 0
    protect: bool = False  # not to be forwarded or saved (protected content)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """``(label, data or url)`` in reading order."""
        return [(b.label, b.data or b.url or "") for row in self.keyboard for b in row]

    @property
    def labels(self) -> list[str]:
        return [b.label for row in self.keyboard for b in row]

    @property
    def links(self) -> list[str]:
        """The addresses of the link buttons, in reading order."""
        return [b.url for row in self.keyboard for b in row if b.url is not None]

    def url(self, label: str) -> str | None:
        """The link of the button labelled ``label`` (``None``: no such link)."""
        return next((b.url for row in self.keyboard for b in row if b.label == label), None)

    def button(self, label: str) -> Button | None:
        """The button a person would press for ``label`` (a leading "• " aside)."""
        for row in self.keyboard:
            for b in row:
                if b.label.removeprefix(MARK) == label:
                    return b
        return None

    def apply(self, reply: Reply) -> None:
        """An edit: new text and buttons, same message (the attachment stays)."""
        self.text, self.keyboard = reply.text, reply.buttons
        self.edits += 1


@dataclass
class Press:
    """One button press and what it showed: the toast, if any."""

    chat_id: int
    user_id: int
    data: str
    notice: str | None


@dataclass
class Transcript:
    """Everything the bot said, in every chat, in order; and every press's toast. It is
    also the scheduler's sender: nudges are recorded as messages of their chat."""

    messages: list[Message] = field(default_factory=list)
    presses: list[Press] = field(default_factory=list)
    agreed: set[tuple[str, int]] = field(default_factory=set)  # (platform, user id)
    _ids: count[int] = field(default_factory=lambda: count(1))
    _scheduler: NudgeScheduler | None = None

    def record(self, chat_id: int, reply: Reply, *, nudge: bool = False) -> Message:
        message = Message(
            next(self._ids),
            chat_id,
            reply.text,
            reply.buttons,
            reply.attachment,
            nudge,
            protect=reply.protect,
        )
        self.messages.append(message)
        return message

    async def send(self, chat_id: int, reply: Reply) -> None:
        """The scheduler's sender (``scheduler.delivery.Sender``): a nudge arrives."""
        self.record(chat_id, reply, nudge=True)

    def scheduler(self, core: Core) -> NudgeScheduler:
        """The nudge scheduler as the runtime builds it, sending into this transcript
        what the features make for the core's platform."""
        if self._scheduler is None:
            live = weakref.ref(core)  # the transcript must not keep its core alive

            def platform() -> Capabilities:
                core = live()
                assert core is not None
                return core.platform

            self._scheduler = NudgeScheduler(
                core.services,
                self,
                RateLimiter(1000),
                messages=Outgoing(core.services, platform),
                backoff_seconds=0,
            )
        return self._scheduler


_transcripts: weakref.WeakKeyDictionary[Core, Transcript] = weakref.WeakKeyDictionary()


def transcript_of(core: Core) -> Transcript:
    """The one transcript of everything said over ``core``."""
    if core not in _transcripts:
        _transcripts[core] = Transcript()
    return _transcripts[core]


class Chat:
    """One person (``user_id``) in one chat: their private chat with the bot unless a
    ``chat_id`` of a group is given."""

    def __init__(
        self,
        core: Core,
        user_id: int = 42,
        *,
        chat_id: int | None = None,
        language: str | None = "en",
        platform: str = "telegram",
        agreed: bool = True,
        first_name: str | None = None,
    ) -> None:
        """``agreed``: the person pressed "Sounds good" before the chat begins (without a
        word in the transcript), as everyone but a newcomer has; ``False``: a newcomer
        who has not agreed to be stored."""
        self.core = core
        self.agreed = agreed
        self.transcript = transcript_of(core)
        private = chat_id is None or chat_id == user_id
        self.who = Identity(
            user_id,
            user_id if chat_id is None else chat_id,
            private=private,
            language=language,
            platform=platform,
            first_name=first_name,
        )

    # --- other people, other chats --------------------------------------------------

    def as_user(
        self, user_id: int, *, language: str | None = None, first_name: str | None = None
    ) -> Chat:
        """Someone else in this chat (a group), or in their own private chat with the
        bot (when this one is private)."""
        return Chat(
            self.core,
            user_id,
            chat_id=None if self.who.private else self.who.chat_id,
            language=language or self.who.language,
            platform=self.who.platform,
            agreed=self.agreed,
            first_name=first_name,
        )

    def in_group(self, chat_id: int) -> Chat:
        """The same person in a group with the bot."""
        return Chat(
            self.core,
            self.who.user_id,
            chat_id=chat_id,
            language=self.who.language,
            platform=self.who.platform,
            agreed=self.agreed,
        )

    def speaking(self, language: str | None) -> Chat:
        """The same person, their app now set to ``language``."""
        return Chat(
            self.core,
            self.who.user_id,
            chat_id=None if self.who.private else self.who.chat_id,
            language=language,
            platform=self.who.platform,
            agreed=self.agreed,
        )

    def newcomer(
        self, user_id: int, *, language: str | None = None, first_name: str | None = None
    ) -> Chat:
        """Someone new in their private chat, who has not agreed to be stored yet."""
        return Chat(
            self.core,
            user_id,
            language=language or self.who.language,
            agreed=False,
            first_name=first_name,
        )

    @property
    def services(self) -> Services:
        return self.core.services

    def _agree_first(self) -> None:
        """A person who agreed before the chat began: "Sounds good" pressed and every
        step of onboarding skipped, unseen."""
        key = (self.who.platform, self.who.user_id)
        if not self.agreed or key in self.transcript.agreed:
            return
        self.transcript.agreed.add(key)
        agree(
            self.services, self.who.user_id, platform=self.who.platform, language=self.who.language
        )

    # --- what the person does ---------------------------------------------------------

    async def send(self, text: str) -> list[Message]:
        """Type ``text``: a command when it starts with "/", free text otherwise. The
        answers, in order (also in :attr:`messages`)."""
        self._agree_first()
        if text.startswith("/"):
            head, *rest = text.split(maxsplit=1)
            name, _, addressee = head[1:].partition("@")
            if addressee and addressee.lower() != BOT_USERNAME.lower():
                replies = await self.core.not_for_us(self.who)
            else:
                args = rest[0] if rest else ""
                replies = await self.core.command(self.who, name, args, addressed=bool(addressee))
        else:
            replies = await self.core.text(self.who, text)
        return self._show(replies)

    async def share_location(self, latitude: float, longitude: float) -> list[Message]:
        self._agree_first()
        return self._show(await self.core.location(self.who, latitude, longitude))

    async def press(self, label: str, *, on: Message | None = None) -> list[Message]:
        """Press the button labelled ``label`` (a leading "• " aside) on the newest
        message of this chat showing it, or on message ``on``. A label on no message
        of this chat fails the test, naming the labels that are there. The new
        messages the press brought, in order."""
        for message in [on] if on is not None else reversed(self.messages):
            button = message.button(label)
            if button is None:
                continue
            if button.data is None:
                pytest.fail(f"{label!r} is a link ({button.url}), not a button to press")
            return await self.press_data(button.data, on=message)
        shown = [f"{m.id}: {m.labels}" for m in ([on] if on else self.messages) if m.labels]
        pytest.fail(f"no button {label!r}; the buttons shown are:\n  " + "\n  ".join(shown))

    async def press_data(self, data: str, *, on: Message | None = None) -> list[Message]:
        """Send ``data`` back as if a button carried it: for forged or stale data on
        purpose. ``on``: the message that carried it (edited in place if the result
        says so; without one, an edit arrives as a new message)."""
        self._agree_first()
        result = await self.core.button(self.who, data)
        self.transcript.presses.append(
            Press(self.who.chat_id, self.who.user_id, data, result.notice)
        )
        new: list[Message] = []
        if result.edit is not None:
            if on is not None:
                on.apply(result.edit)
            else:
                new += self._show([result.edit])
        return new + self._show(result.send)

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One nudge tick at ``now`` (else the services' clock): what falls due lands
        in the chats of the users it is for."""
        return await self.transcript.scheduler(self.core).tick(now)

    def _show(self, replies: list[Reply]) -> list[Message]:
        return [self.transcript.record(self.who.chat_id, reply) for reply in replies]

    # --- what the person sees ---------------------------------------------------------

    @property
    def messages(self) -> list[Message]:
        """Every message of the bot in this chat, oldest first, as they are now."""
        return [m for m in self.transcript.messages if m.chat_id == self.who.chat_id]

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]

    @property
    def last(self) -> Message:
        """The newest message of this chat (sent, not edited, last)."""
        messages = self.messages
        if not messages:
            pytest.fail("the bot has said nothing in this chat")
        return messages[-1]

    @property
    def nudges(self) -> list[Message]:
        return [m for m in self.messages if m.nudge]

    @property
    def notices(self) -> list[str | None]:
        """The toast of each of this person's presses in this chat (``None``: none)."""
        return [
            p.notice
            for p in self.transcript.presses
            if p.chat_id == self.who.chat_id and p.user_id == self.who.user_id
        ]

    @property
    def notice(self) -> str | None:
        """The toast of this person's last press in this chat."""
        notices = self.notices
        if not notices:
            pytest.fail("nothing was pressed in this chat")
        return notices[-1]

    def attachments(self, kind: str | None = None) -> list[Attachment]:
        """Files sent in this chat (``kind``: "photo" or "document"), oldest first."""
        return [
            m.attachment
            for m in self.messages
            if m.attachment is not None and (kind is None or m.attachment.kind == kind)
        ]

    def with_text(self, part: str) -> list[Message]:
        """The messages of this chat whose text contains ``part``."""
        return [m for m in self.messages if part in m.text]
