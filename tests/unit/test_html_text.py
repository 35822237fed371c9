"""Cutting and stripping the core's small HTML subset for each platform's limits."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.html_text import split_html, strip_html


def test_short_text_is_one_piece() -> None:
    assert split_html("<b>Xin chào</b>", 4096) == ["<b>Xin chào</b>"]


def test_cuts_at_line_breaks_and_reopens_tags() -> None:
    text = "<b>" + "\n".join(f"dòng {n} " + "x" * 40 for n in range(200)) + "</b>"
    pieces = split_html(text, 1000)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece) <= 1000
        assert piece.startswith("<b>") and piece.endswith("</b>")
    assert strip_html("".join(pieces)).replace("\n", "") == strip_html(text).replace("\n", "")


def test_never_cuts_inside_an_entity() -> None:
    text = "a &amp; b " * 500
    for piece in split_html(text, 333):
        assert not re.search(r"&[a-z]*$", piece)
        assert not re.match(r"^[a-z]*;", piece)


def test_strip_html_unescapes() -> None:
    assert strip_html("<b>Mã</b> &lt;PA26-00001&gt; &amp; ảnh") == "Mã <PA26-00001> & ảnh"


@given(st.text(alphabet="ab ổ\n<>&", min_size=0, max_size=3000), st.integers(200, 1000))
def test_pieces_fit_and_keep_every_visible_character(raw: str, limit: int) -> None:
    text = html.escape(raw, quote=False)  # what the core sends: user text escaped
    pieces = split_html(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    visible = "".join(strip_html(p) for p in pieces)
    assert visible.replace("\n", "").replace(" ", "") == raw.replace("\n", "").replace(" ", "")
