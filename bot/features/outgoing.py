"""What the bot says unprompted, for the nudge scheduler: the daily tip and the weekly
check-in reminder. The scheduler knows nothing of the features; the wiring place
(``bot.app``) hands it one of these (see ``scheduler.nudges.NudgeMessages``)."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.platform import Capabilities
from bot.domain.replies import Reply
from bot.domain.tips import allowed_strategies
from bot.features.base import Services
from bot.features.mirror import pairing_message
from bot.features.nudges import nudge_reply
from bot.features.reminders import reminder_message
from bot.features.tips import next_tip
from bot.store.deliveries import Claimed
from bot.store.tips import TipContext


class Outgoing:
    """The nudges' messages, made by the features for ``platform()`` (asked at each
    message: an adapter may learn more about its platform after start-up)."""

    def __init__(self, services: Services, platform: Callable[[], Capabilities]) -> None:
        self.services = services
        self.platform = platform
        self._safe = {s.id for s in allowed_strategies(services.content, safety_flag=True)}

    def nudge(self, claimed: Claimed, context: TipContext) -> tuple[Reply, str]:
        """The daily tip and the id of its tip. A tip kept from before (asked to come
        later) is sent again, unless a safety answer now stands and it is not one of
        the tips allowed then (or it is no longer in the content): then a new tip
        comes. While a safety answer stands the nudge offers to pause them."""
        content = self.services.content
        tip = content.tip(claimed.tip_id) if claimed.tip_id else None
        if tip is not None and context.safety_flag and tip.strategy_id not in self._safe:
            tip = None
        if tip is None:
            tip = next_tip(content, context.history, context.safety_flag, self.services.rng)
        again = claimed.again and tip.id == claimed.tip_id  # a new tip is a new nudge
        reply = nudge_reply(
            content,
            self.services.locale(claimed.language).about(claimed.partner),
            tip,
            claimed.delivery_id,
            again=again,
            safety_flag=context.safety_flag,
            platform=self.platform(),
        )
        return reply, tip.id

    def pairing(self, claimed: Claimed) -> Reply | None:
        """A pairing's message (see :func:`bot.features.mirror.pairing_message`)."""
        with self.services.session_factory() as session:
            return pairing_message(self.services, session, claimed, self.platform())

    def reminder(self, claimed: Claimed) -> Reply:
        """The weekly check-in reminder."""
        return reminder_message(self.services.locale(claimed.language).about(claimed.partner))
