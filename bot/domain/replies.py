"""Platform-neutral replies: text plus buttons, rendered by each adapter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Button:
    """One button: either sends ``data`` back to the bot, opens ``url``, or copies
    ``copy`` to the clipboard (where the platform cannot, ``data`` is pressed instead)."""

    label: str
    data: str | None = None
    url: str | None = None
    copy: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (a chart as a photo, an export as a document)."""

    filename: str
    content: bytes
    kind: str = "document"  # "photo" | "document"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: text (a small safe subset of HTML), buttons in rows."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    # A language code: the chat's command menu should now be in it (after /language).
    chat_menu: str | None = None
    # Not to be forwarded or saved (the platform's protected content), e.g. a mirror.
    protect: bool = False

    def button_data(self) -> list[str]:
        """All callback data values of this reply, in reading order."""
        return [b.data for row in self.buttons for b in row if b.data is not None]


@dataclass(slots=True)
class CallbackResult:
    """The outcome of a button press.

    ``notice`` is the short toast shown by the client, ``edit`` replaces the
    message that carried the button, ``send`` are new messages.
    """

    notice: str | None = None
    edit: Reply | None = None
    send: list[Reply] = field(default_factory=list)
