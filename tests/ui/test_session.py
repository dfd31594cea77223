"""The one object that holds a resident's data, and its wiping."""

from __future__ import annotations

from kiosk.flows.session import Session

ID_NUMBER = "500115199003071234"


def test_clear_forgets_every_field():
    session = Session()
    session.set("id_number", ID_NUMBER)
    session.set("phone", "13812345678")
    session.clear()
    assert session.is_empty and session.keys() == [] and session.get("id_number") is None


def test_clear_overwrites_byte_buffers_before_dropping_them():
    photo = bytearray(b"\x89PNG" * 16)
    session = Session()
    session.set("photo", photo)
    session.clear()
    assert photo == bytearray(len(photo))


def test_clear_tells_every_listener_and_changes_the_generation():
    session = Session()
    seen = []
    session.on_clear(lambda s: seen.append(s.generation))
    before = session.generation
    session.clear()
    assert seen == [session.generation] and session.generation != before


def test_repr_names_fields_but_never_shows_values():
    session = Session()
    session.set("id_number", ID_NUMBER)
    text = repr(session)
    assert "id_number" in text and ID_NUMBER not in text
