"""The flows' services are built on a thread after the first frame; a flow that needs them
sooner waits for them, and nothing is built twice or at shutdown."""

from __future__ import annotations

import threading

import pytest

from kiosk.ui.built_later import BuiltLater


class Builder:
    def __init__(self, hold: threading.Event | None = None) -> None:
        self.calls: list[str] = []
        self.hold = hold

    def __call__(self) -> str:
        self.calls.append(threading.current_thread().name)
        if self.hold is not None:
            assert self.hold.wait(5), "the test never let the build finish"
        return "services"


def test_started_it_builds_on_its_own_thread_once():
    build = Builder()
    later = BuiltLater(build, "services")
    later.start()
    later.start()
    assert later.get() == "services" and later.get() == "services"
    assert build.calls == ["build-services"]


def test_asked_before_anyone_started_it_builds_right_there():
    build = Builder()
    later = BuiltLater(build, "services")
    assert later.get() == "services"
    later.start()  # too late to matter: nothing is built again
    assert build.calls == [threading.current_thread().name]


def test_asked_while_the_thread_builds_it_waits_for_that_build():
    hold = threading.Event()
    build = Builder(hold)
    later = BuiltLater(build, "services")
    later.start()
    got: list[str] = []
    asker = threading.Thread(target=lambda: got.append(later.get()))
    asker.start()
    asker.join(0.2)
    assert asker.is_alive() and got == []  # still waiting
    hold.set()
    asker.join(5)
    assert got == ["services"] and build.calls == ["build-services"]


def test_never_started_it_is_not_built_at_shutdown():
    build = Builder()
    later = BuiltLater(build, "services")
    assert later.if_started() is None and build.calls == []


def test_started_it_is_waited_for_at_shutdown():
    hold = threading.Event()
    build = Builder(hold)
    later = BuiltLater(build, "services")
    later.start()
    threading.Timer(0.1, hold.set).start()
    assert later.if_started() == "services"


def test_a_build_that_failed_on_the_thread_fails_whoever_asks():
    def broken() -> str:
        raise RuntimeError("the database is unreadable")

    later = BuiltLater(broken, "services")
    later.start()
    for ask in (later.get, later.if_started):
        with pytest.raises(RuntimeError, match="unreadable"):
            ask()
