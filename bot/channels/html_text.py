"""Splitting and stripping the small HTML subset the core writes (<b>, <i>, <code>, <a>).

Shared by every adapter: Telegram needs messages cut under 4,096 characters without breaking
a tag or an entity; channels without HTML (Zalo) need plain text.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


def strip_html(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def split_html(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters, preferring line breaks, then
    spaces; tags open at a cut are closed at its end and reopened in the next piece."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    reopen = ""
    while rest:
        budget = limit - len(reopen)
        if len(rest) <= budget:
            pieces.append(reopen + rest)
            break
        cut = _cut_point(rest, budget - 32)  # room to close the tags left open
        piece, rest = rest[:cut], rest[cut:].lstrip("\n ")
        open_tags = _open_tags(reopen + piece)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        pieces.append(reopen + piece + closing)
        reopen = "".join(f"<{name}{attrs}>" for name, attrs in open_tags)
    return [p for p in pieces if strip_html(p).strip()]


def _cut_point(text: str, budget: int) -> int:
    window = text[:budget]
    for separator in ("\n\n", "\n", " "):
        index = window.rfind(separator)
        if index > budget // 2:
            return _outside_markup(text, index)
    return _outside_markup(text, budget)


def _outside_markup(text: str, index: int) -> int:
    """Move a cut back so that it never falls inside a tag or an &entity;."""
    tag_start = text.rfind("<", 0, index)
    if tag_start != -1 and text.find(">", tag_start) >= index:
        index = tag_start
    amp = text.rfind("&", 0, index)
    if amp != -1:
        semicolon = text.find(";", amp)
        if semicolon >= index and semicolon - amp <= 10:  # the cut falls inside "&amp;"
            index = amp
    return max(index, 1)


def _open_tags(text: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for closing, name, attrs in _TAG.findall(text):
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i]
                    break
        else:
            stack.append((name, attrs))
    return stack
