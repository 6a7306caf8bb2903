"""/safety: where to turn for help, at any time, no check-in needed.

The services come from ``content/resources.yaml``, chosen by the user's language and
the country of their time zone (see :func:`bot.domain.resources.select_resources`).
The care message after a check-in answer that says the user does not feel safe is
built from :func:`safety_reply` too. In a group the command only says, neutrally,
how to open it in private: nothing about anyone's situation is shown there.
"""

from __future__ import annotations

from bot.domain.content import BUTTON_LABEL_LIMIT, Content
from bot.domain.replies import Button, Reply
from bot.domain.resources import Resources, Shown, select_resources, zone_country
from bot.features.base import Ctx, h


def resources_of(content: Content) -> Resources:
    assert content.resources is not None, "load_content always reads resources.yaml"
    return content.resources


def safety_command(ctx: Ctx, args: str) -> list[Reply]:
    """/safety: help resources for this user, the emergency line and a discreet-use note."""
    return [safety_reply(ctx)]


def safety_reply(ctx: Ctx, *, opening: str | None = None) -> Reply:
    """The help message: ``opening`` (plain text; by default the resources' intro), the
    services for the user's language and country with a url button each, what to do in
    danger right now, and how to keep the chat private."""
    resources = resources_of(ctx.content)
    chosen = select_resources(
        resources,
        language=ctx.identity.language or ctx.user.language,
        country_code=zone_country(ctx.user.timezone),
    )
    emergency, country = resources.emergency, chosen.country
    if country is not None and country.emergency:
        emergency = f"{emergency.rstrip('.')} ({country.name}: {country.emergency})."
    lines = [h(opening or resources.intro), ""]
    lines += [_line(shown) for shown in chosen.services]
    lines += ["", f"<b>{h(emergency)}</b>", "", f"<i>{h(resources.discreet)}</i>"]
    buttons = tuple((_button(shown),) for shown in chosen.services)
    return Reply("\n".join(lines), buttons)


def _line(shown: Shown) -> str:
    service = shown.service
    line = f"• <b>{h(service.name)}</b>"
    if shown.elsewhere:
        line += f" ({h(shown.elsewhere)})"
    if service.phone:
        line += f": {h(service.phone)}"
    if service.note:
        line += f" · {h(service.note)}"
    return line


def _button(shown: Shown) -> Button:
    label = shown.service.name
    if shown.elsewhere and len(f"{label} ({shown.elsewhere})") <= BUTTON_LABEL_LIMIT:
        label = f"{label} ({shown.elsewhere})"
    return Button(label, url=shown.service.url)


def safety_in_group(bot_username: str | None) -> Reply:
    """/safety in a group: brief and neutral, a way to open it in private."""
    text = "That one is for a private chat with me."
    if not bot_username:
        return Reply(f"{text} Send me /safety there.")
    link = Button("Open a private chat", url=f"https://t.me/{bot_username}?start=safety")
    return Reply(f"{text} Tap below, or send me /safety there.", ((link,),))


def counselling_button(content: Content) -> Button:
    """The counselling or helpline resource offered with the reassess message
    (``counselling`` in ``content/resources.yaml``)."""
    link = resources_of(content).counselling
    return Button(link.label, url=link.url)
