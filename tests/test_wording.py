"""Every text, in every language, for every way of speaking of the partner: no pronoun
of another choice, and the content's limits (button labels, a tip's message)."""

from __future__ import annotations

import re

import pytest

from bot.config import ROOT
from bot.domain.content import ANSWERS, BUTTON_LABEL_LIMIT, Content, load_content
from bot.i18n import PARTNER_WORDINGS, Catalogue, Locale

CATALOGUE = Catalogue.load(ROOT / "content" / "locales")
CONTENT = load_content(ROOT / "content")

# The words that speak of a partner as "he" or as "she", per language. With one choice,
# none of the other's may appear; with "they", neither. (Russian: also a thing of
# masculine or feminine gender may not be called "он"/"она": the texts avoid it.)
GENDERED: dict[str, dict[str, set[str]]] = {
    "en": {"he": {"he", "him", "his", "himself"}, "she": {"she", "her", "hers", "herself"}},
    "es": {"he": {"él", "novio", "esposo", "marido"}, "she": {"ella", "novia", "esposa"}},
    "ru": {
        "he": {"он", "его", "ему", "него", "нему", "нём", "парень", "муж"},
        "she": {"она", "её", "ее", "ей", "неё", "нее", "ней", "девушка", "жена"},
    },
}
FORBIDDEN = {"he": ("she",), "she": ("he",), "they": ("he", "she")}
# The buttons that offer the three choices name them all.
CHOICES = {f"partner-{wording}" for wording in PARTNER_WORDINGS}


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def _render_all(locale: Locale) -> dict[str, str]:
    """Every message of the language, its placeholders filled with a number (which
    also picks a plural form)."""
    messages = CATALOGUE.languages[locale.language]
    return {
        key: locale.t(key, **{name: 3 for name in uses if name != "partner"})
        for key, uses in messages.variables.items()
    }


@pytest.mark.parametrize("language", CATALOGUE.offered)
@pytest.mark.parametrize("wording", PARTNER_WORDINGS)
def test_no_text_carries_a_pronoun_of_another_choice(language: str, wording: str) -> None:
    assert language in GENDERED, f"add {language}'s gendered words to this test"
    locale = CATALOGUE.locale(language).about(wording)
    banned = set().union(*(GENDERED[language][other] for other in FORBIDDEN[wording]))
    stray = {
        key: sorted(_words(text) & banned)
        for key, text in _render_all(locale).items()
        if _words(text) & banned and key not in CHOICES
    }
    assert stray == {}


def _content_texts(locale: Locale, content: Content) -> list[tuple[str, str]]:
    texts = [("checkin-intro", locale.t("checkin-intro"))]
    for strategy in content.strategies:
        for key in (strategy.title_key, strategy.why_key, *(t.key for t in strategy.tips)):
            texts.append((key, locale.t(key)))
    for question in content.questions:
        texts += [(key, locale.t(key)) for key in question.keys]
    return texts


@pytest.mark.parametrize("language", CATALOGUE.offered)
def test_the_content_keeps_its_limits_in_every_language_and_wording(language: str) -> None:
    for wording in PARTNER_WORDINGS:
        locale = CATALOGUE.locale(language).about(wording)
        for key, text in _content_texts(locale, CONTENT):
            assert text.strip() and not re.search(r"[<>&]", text), (key, text)
        for strategy in CONTENT.strategies:
            title, why = locale.t(strategy.title_key), locale.t(strategy.why_key)
            topic_button = f"{strategy.emoji} {title}"  # in the topics list
            assert len(topic_button) <= BUTTON_LABEL_LIMIT, (language, strategy.id, title)
            for tip in strategy.tips:  # the message a tip is shown in
                assert len(f"{title}\n\n{locale.t(tip.key)}\n\n{why}") < 1024, tip.id
        for question in CONTENT.questions:
            labels = [locale.t(k) for k in question.keys[2 : 2 + ANSWERS]]
            assert all(len(label) <= BUTTON_LABEL_LIMIT for label in labels), question.id
            assert len(set(labels)) == ANSWERS, (language, question.id)


def test_the_partner_wording_changes_what_a_tip_says() -> None:
    """The choice reaches the texts: somewhere the three wordings read differently."""
    english = CATALOGUE.locale("en")
    differs = [
        tip.key
        for tip in CONTENT.tips
        if len({english.about(w).t(tip.key) for w in PARTNER_WORDINGS}) == 3
    ]
    assert len(differs) >= 5
