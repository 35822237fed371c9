"""A lead opens the turn's next message instead of going out as a message of its own."""

from __future__ import annotations

from bot.domain.messages import Choice, OutgoingMessage
from bot.i18n import Translator
from handlers.context import Turn
from handlers.events import IncomingEvent, Sender


def turn(translator: Translator) -> Turn:
    event = IncomingEvent(channel="telegram", chat_id="1", sender=Sender(id="1"), text="/start")
    return Turn(event=event, payload={}, locale="vi", t=translator)


def test_a_lead_travels_with_the_next_message_and_its_choices(translator: Translator) -> None:
    t = turn(translator)
    t.lead("Xin chào!")
    t.send(OutgoingMessage(text="Bạn muốn làm gì?", choices=((Choice("Gửi", "m:pa"),),)))
    t.send("Tin thứ hai")
    reply = t.finish()
    assert [m.text for m in reply.messages] == ["Xin chào!\n\nBạn muốn làm gì?", "Tin thứ hai"]
    assert reply.messages[0].choices == ((Choice("Gửi", "m:pa"),),)
    assert t.payload["offered"] == [["Gửi", "m:pa"]]  # typing "1" still chooses


def test_an_edit_never_carries_a_lead(translator: Translator) -> None:
    t = turn(translator)
    t.lead("Xin chào!")
    t.send(OutgoingMessage(text="Thẻ hồ sơ", edit_message_id=7))
    t.send("Câu hỏi")
    assert [m.text for m in t.finish().messages] == ["Thẻ hồ sơ", "Xin chào!\n\nCâu hỏi"]


def test_a_lead_nothing_followed_goes_out_alone(translator: Translator) -> None:
    t = turn(translator)
    t.lead("Xin chào!")
    assert [m.text for m in t.finish().messages] == ["Xin chào!"]
    assert t.finish().messages[-1].text == "Xin chào!"  # once, not again
    assert len(t.finish().messages) == 1
