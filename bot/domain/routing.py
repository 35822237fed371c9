"""Which unit gets a ticket, and which category a description most likely belongs to."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.errors import ConfigError
from bot.domain.org import Category

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """Send tickets matching every given field to `unit`; a field left None matches anything."""

    unit: str
    kind: str | None = None
    category: str | None = None
    commune: str | None = None

    @property
    def is_fallback(self) -> bool:
        return self.kind is None and self.category is None and self.commune is None

    def matches(self, *, kind: str | None, category: str | None, commune: str | None) -> bool:
        return (
            (self.kind is None or self.kind == kind)
            and (self.category is None or self.category == category)
            and (self.commune is None or self.commune == commune)
        )


def route(
    rules: Iterable[RoutingRule],
    *,
    kind: str | None,
    category: str | None,
    commune: str | None,
) -> str:
    """The unit id of the first rule that matches; ConfigError if none does."""
    for rule in rules:
        if rule.matches(kind=kind, category=category, commune=commune):
            return rule.unit
    raise ConfigError(
        f"no routing rule matches kind={kind!r} category={category!r} commune={commune!r}"
    )


def normalize_text(s: str) -> str:
    """Fold case and Vietnamese diacritics: "Đường  Ổ GÀ" -> "duong o ga"."""
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def _words(s: str) -> list[tuple[str, str]]:
    """(exact lower-case word, folded word) pairs."""
    return [
        (w, normalize_text(w)) for w in _WORD.findall(unicodedata.normalize("NFC", s).casefold())
    ]


def _same_word(text_word: tuple[str, str], keyword_word: tuple[str, str]) -> bool:
    # Accents are ignored when either side is typed without them ("duong" ~ "đường"), but two
    # accented words must agree: "dương" (Hải Dương) is not "đường" (road).
    (t_exact, t_folded), (k_exact, k_folded) = text_word, keyword_word
    if t_folded != k_folded:
        return False
    return t_exact in (t_folded, k_exact) or k_exact == k_folded


def _occurs(words: Sequence[tuple[str, str]], phrase: Sequence[tuple[str, str]]) -> bool:
    n = len(phrase)
    if n == 0:
        return False
    return any(
        all(_same_word(words[i + j], phrase[j]) for j in range(n))
        for i in range(len(words) - n + 1)
    )


def suggest_category(categories: Iterable[Category], text: str) -> str | None:
    """The id of the category whose keywords best match `text`, or None.

    A keyword matches as a whole word or phrase, ignoring case and accents. Each matched keyword
    scores its number of words, so "đèn đường" outweighs "đường"; ties go to the category listed
    first.
    """
    words = _words(text)
    best_id: str | None = None
    best_score = 0
    for category in categories:
        score = sum(
            len(phrase)
            for phrase in {tuple(_words(k)) for k in category.keywords}
            if _occurs(words, phrase)
        )
        if score > best_score:
            best_id, best_score = category.id, score
    return best_id
