"""Scripted residents for the apply flow: what each kind of applicant answers, step by step.

Shared by the headless flow tests, the crash test's child process and bench/bench_journey.py.
Cards go on the simulated ID reader through its control socket, exactly as a technician's
`kiosk sim ctl id-reader insert person=KEY` does, so this works in and across processes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from hwsim.control import send
from hwsim.id_reader.people import PEOPLE_FILE, load_people
from kiosk.flows.steps import CONFIRM, OK

EXTRA_PEOPLE = Path(__file__).with_name("people_extra.json")
PHONE = "13812345678"
BANK = "icbc"
PASSPORT = "E12345678"
PASSPORT_NAME = "LI JIANGUO"
PASSPORT_CHINESE_NAME = "李建国"  # written on the pad (optional for a passport)


def people():
    """The simulator's people plus the ones only these tests need (a 17-year-old, a mother)."""
    return {**load_people(PEOPLE_FILE), **load_people(EXTRA_PEOPLE)}


def place(person: str | None) -> None:
    """Take whatever lies on the reader away, then put `person`'s card there (None: leave it empty)."""
    send("id-reader", "remove")
    if person is not None:
        send("id-reader", "insert", person=person)


def then(action: Callable[[], Any], answer: Any) -> Callable[[Any], Any]:
    """An answer given after doing something (placing a card, unplugging the printer)."""

    def respond(_step) -> Any:
        action()
        return answer

    return respond


def with_card(person: str | None, answer: Any = "reader"):
    return then(lambda: place(person), answer)


def take_photo(step) -> Any:
    """What the photo screen answers once the resident is well placed: the accepted Attempt."""
    done = step.params["session"].attempt(8.0)
    assert done.ok and done.value.passed, f"the camera simulator gave no passing photo: {done.code} {done.reason}"
    return done.value


_SIGNATURE: bytes | None = None


def signature_png() -> bytes:
    """A signature as the sign screen answers it: a PNG of strokes on white."""
    global _SIGNATURE
    if _SIGNATURE is None:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (600, 200), "white")
        draw = ImageDraw.Draw(image)
        draw.line([(40, 150), (120, 40), (200, 160), (300, 60), (420, 150), (560, 80)], fill="black", width=6)
        out = io.BytesIO()
        image.save(out, format="PNG")
        _SIGNATURE = out.getvalue()
    return _SIGNATURE


def pickup(method: str = "on_site", detail: str | None = None) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = [("choose", method)]
    if method == "outlet":
        entries.append(("choose", detail or "CS-07"))
    elif method == "post":
        entries.append(("choose", detail or "id_card"))
    return entries


def the_rest(*, photo: bool = True, pickup_entries=None, phone: str = PHONE) -> list[tuple[str, Any]]:
    """From the photo to the signature, the same for every kind of applicant."""
    return [
        ("photo", take_photo if photo else "skip"),
        ("choose", BANK),
        *(pickup_entries or pickup()),
        ("keypad", phone),
        ("review", CONFIRM),
        ("sign", signature_png()),
    ]


def for_myself(person: str = "resident", **rest) -> list[tuple[str, Any]]:
    return [("choose", "self"), ("choose", with_card(person)), *the_rest(**rest)]


def for_my_child(guardian: str = "mother", child: str = "minor", *, photo: bool = False, **rest) -> list[tuple[str, Any]]:
    return [
        ("choose", then(lambda: place(guardian), "minor")),
        ("choose", with_card(child)),
        *the_rest(photo=photo, **rest),
    ]


def for_another_adult_by_passport(proxy: str = "resident", **rest) -> list[tuple[str, Any]]:
    """The proxy's ID card on the reader, the applicant's passport typed."""
    return [
        ("choose", then(lambda: place(proxy), "proxy")),
        ("choose", "typed"),
        ("choose", "passport"),
        ("keypad", PASSPORT),
        ("keypad", PASSPORT_NAME),
        ("chinese_input", PASSPORT_CHINESE_NAME),
        *the_rest(**rest),
    ]


FINISH = [("done", OK)]
