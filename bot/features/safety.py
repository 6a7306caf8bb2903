"""/safety: where to turn for help, at any time, no check-in needed.

The services come from ``content/resources.yaml``, chosen by the user's language and
the country of their time zone (see :func:`bot.domain.resources.select_resources`);
their notes are the catalogue's ``service-<id>-note`` and the countries' names Babel's,
both in the language the bot writes to the user in.
The care message after a check-in answer that says the user does not feel safe is
built from :func:`safety_reply` too. In a group the command only says, neutrally,
how to open it in private: nothing about anyone's situation is shown there.
"""

from __future__ import annotations

from bot.domain.content import BUTTON_LABEL_LIMIT, Content
from bot.domain.platform import Capabilities
from bot.domain.replies import Button, Reply
from bot.domain.resources import (
    Resources,
    Shown,
    country_name,
    select_resources,
    zone_country,
)
from bot.features.base import Ctx
from bot.i18n import Locale, Markup


def resources_of(content: Content) -> Resources:
    assert content.resources is not None, "load_content always reads resources.yaml"
    return content.resources


def safety_command(ctx: Ctx, args: str) -> list[Reply]:
    """/safety: help resources for this user, the emergency line and a discreet-use note."""
    return [safety_reply(ctx)]


def safety_reply(ctx: Ctx, *, opening: str | None = None) -> Reply:
    """The help message: ``opening`` (a catalogue text; by default the resources' intro), the
    services for the user's language and country with a url button each, what to do in
    danger right now, and how to keep the chat private."""
    resources = resources_of(ctx.content)
    locale = ctx.locale
    chosen = select_resources(
        resources, languages=reading_languages(ctx), country_code=zone_country(ctx.user.timezone)
    )
    country = chosen.country
    emergency = ctx.t("safety-emergency")
    if country is not None and chosen.code is not None and country.emergency:
        where = country_name(chosen.code, locale.language)
        emergency = ctx.t("safety-emergency-country", country=where, number=country.emergency)
    lines = [opening or ctx.t("safety-intro"), ""]
    lines += [_line(locale, shown) for shown in chosen.services]
    lines += ["", emergency, "", ctx.t("safety-discreet")]
    buttons = tuple((_button(locale, shown),) for shown in chosen.services)
    return Reply("\n".join(lines), buttons)


def reading_languages(ctx: Ctx) -> tuple[str | None, ...]:
    """The languages the user reads, best first: the one they chose with /language, else
    their app's; then the one the bot writes to them in (which is English when the bot
    does not speak their app's language)."""
    chosen = ctx.user.chosen_language or ctx.identity.language or ctx.user.language
    return (chosen, ctx.locale.language)


def _line(locale: Locale, shown: Shown) -> str:
    service = shown.service
    line = locale.t("safety-service", name=service.name)
    if shown.elsewhere:
        where = country_name(shown.elsewhere, locale.language)
        line = locale.t("safety-service-where", line=Markup(line), where=where)
    if service.phone:
        line = locale.t("safety-service-phone", line=Markup(line), phone=service.phone)
    # Every note is in the catalogue (tests/domain/test_resources.py holds it to that);
    # were one missing, the number still shows, without it.
    if service.note_key and locale.has(service.note_key):
        line = locale.t("safety-service-note", line=Markup(line), note=locale.t(service.note_key))
    return line


def _button(locale: Locale, shown: Shown) -> Button:
    label = shown.service.name
    if shown.elsewhere:
        named = f"{label} ({country_name(shown.elsewhere, locale.language)})"
        label = named if len(named) <= BUTTON_LABEL_LIMIT else label
    return Button(label, url=shown.service.url)


def safety_in_group(locale: Locale, platform: Capabilities) -> Reply:
    """/safety in a group: brief and neutral, a way to open it in private."""
    url = platform.start_link("safety")
    if url is None:
        return Reply(locale.t("safety-in-group-send"))
    link = Button(locale.t("safety-open-private"), url=url)
    return Reply(locale.t("safety-in-group-tap"), ((link,),))


def counselling_button(ctx: Ctx) -> Button:
    """The counselling or helpline resource offered with the reassess message
    (``counselling`` in ``content/resources.yaml``)."""
    link = resources_of(ctx.content).counselling
    return Button(ctx.t("safety-counselling"), url=link.url)
