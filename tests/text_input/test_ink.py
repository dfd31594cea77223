"""The pad's ink: strokes outside the pad."""

from __future__ import annotations

from kiosk.text_input.interface import Ink


def test_stroke_starting_outside_the_pad_is_not_writing():
    ink = Ink(400, 400)
    assert ink.start_stroke(-5, 100) is False
    assert ink.start_stroke(100, 401) is False
    assert ink.empty


def test_stroke_wandering_outside_the_pad_stays_on_its_edge():
    ink = Ink(400, 400)
    assert ink.start_stroke(350, 200)
    ink.extend_stroke(480, 210)
    ink.extend_stroke(390, -30)
    assert ink.strokes == [[(350, 200), (400, 210), (390, 0)]]


def test_undo_and_clear():
    ink = Ink(400, 400)
    ink.start_stroke(1, 1)
    ink.start_stroke(2, 2)
    ink.undo_stroke()
    assert len(ink.strokes) == 1
    ink.clear()
    assert ink.empty
