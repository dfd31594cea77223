"""The kiosk shell's responsiveness on a virtual 1080x1920 screen (Xvfb, software GL).

Two numbers, each against a bare Kivy app measured in the same run with the same window
settings and font (one screen manager, two screens holding one button each):
- start: process start to the first screen ready for a touch;
- touch: a tap's release to the first frame that shows the next screen (median, p90, p99),
  going home -> "At the service window" (its list) -> home through the top bar, as a
  resident would; and, of that, how long drawing that frame took (median), the part a
  screen's canvas decides (the rest is the tap's handling and the wait for the next frame).
The ratios say what the kiosk's own layout and screens cost on top of Kivy itself.

Then the kiosk alone, over every kind of touch a resident makes most (a group's list, a
service that starts its flow, the top bar's Start and language switch), first touches
included: the p99 of a tap to the next screen drawn, and the main-thread work per touch (the
time from the release to that frame minus the time the event loop sat waiting in its
selector: what the touch cost the one thread that draws). The goal is every touch within one
frame of work, 16.7 ms (issue 13 §6); touches over it are listed by kind.
Run: bench/run ui
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUND_TRIPS = 15
FRAME_S = 1 / 60


class IdleMeter:
    """Seconds the asyncio loop of this thread has spent waiting in its selector: whatever else
    passes is work on the main thread (Kivy's frames, touch handling, flows' steps)."""

    def __init__(self) -> None:
        self.idle = 0.0
        selector = asyncio.get_running_loop()._selector  # noqa: SLF001 (measurement only)
        select = selector.select

        def timed_select(timeout=None):
            started = time.perf_counter()
            try:
                return select(timeout)
            finally:
                self.idle += time.perf_counter() - started

        selector.select = timed_select


async def tap_until_drawn(widget, drawn, draws: list[float], idle: IdleMeter | None = None, work: list[float] | None = None) -> float:
    """Seconds from a tap's release to the first frame drawn once `drawn()` holds; the
    seconds that frame took to draw are added to `draws`, and with an IdleMeter the
    main thread's work until then to `work`."""
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    loop = asyncio.get_running_loop()
    shown: asyncio.Future = loop.create_future()
    drawing = [0.0]

    def on_draw(*_args):
        drawing[0] = time.perf_counter()

    def on_flip(*_args):
        if drawn() and not shown.done():
            now = time.perf_counter()
            draws.append(now - drawing[0])
            if idle is not None and work is not None:
                work.append(now - released - (idle.idle - idle_at_release))
            shown.set_result(now)

    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    await asyncio.sleep(0.05)
    released = idle_at_release = 0.0
    Window.bind(on_draw=on_draw, on_flip=on_flip)
    try:
        released = time.perf_counter()
        idle_at_release = idle.idle if idle is not None else 0.0
        touch.touch_up()
        return await asyncio.wait_for(shown, 10) - released
    finally:
        Window.unbind(on_draw=on_draw, on_flip=on_flip)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def summary(started: float, ready: float, taps: list[float], draws: list[float]) -> dict:
    return {
        "start_s": ready - started,
        "touch_median_ms": statistics.median(taps) * 1000,
        "touch_p90_ms": percentile(taps, 0.9) * 1000,
        "touch_p99_ms": percentile(taps, 0.99) * 1000,
        "draw_median_ms": statistics.median(draws) * 1000,
    }


async def every_kind_of_touch(r, rounds: int) -> dict:
    """The kiosk's common touches, `rounds` times each, first touches included."""
    from kivy.core.window import Window

    idle = IdleMeter()
    swaps: list[float] = []
    flip = Window.flip

    def timed_flip():  # the buffer swap after each frame: where software GL renders it
        started = time.perf_counter()
        flip()
        swaps.append(time.perf_counter() - started)

    Window.flip = timed_flip
    home = r.app.navigator.screen("home")
    top_bar = r.app.root.ids.top_bar.ids
    taps: list[tuple[str, float, float]] = []

    async def touch(kind: str, widget, drawn) -> None:
        latency, work, draws = [], [], []
        latency.append(await tap_until_drawn(widget, drawn, draws, idle, work))
        taps.append((kind, latency[0], work[0]))
        await r.frames(2)

    for _ in range(rounds):
        await touch("group list", home.tile("window_only"), lambda: r.screen_name == "group")
        await touch("Start (top bar)", top_bar.home, lambda: r.screen_name == "home")
        await touch("service: its flow's first screen", home.tile("new_card"), lambda: r.screen_name not in ("home", "wait"))
        await touch("Start (top bar)", top_bar.home, lambda: r.screen_name == "home")
        for target in ("en", "zh"):
            await touch("language switch", top_bar.language, lambda t=target: r.app.lang == t)
    latency = [t[1] for t in taps]
    work = [t[2] for t in taps]
    over = {}
    for kind, _latency, spent in taps:
        if spent > FRAME_S:
            over.setdefault(kind, []).append(round(spent * 1000, 1))
    return {
        "taps": len(taps),
        "latency_median_ms": statistics.median(latency) * 1000,
        "latency_p99_ms": percentile(latency, 0.99) * 1000,
        "work_median_ms": statistics.median(work) * 1000,
        "work_p99_ms": percentile(work, 0.99) * 1000,
        "work_max_ms": max(work) * 1000,
        "over_one_frame": over,
        "swap_median_ms": statistics.median(swaps) * 1000,
        "swap_p99_ms": percentile(swaps, 0.99) * 1000,
    }


# --- the two children ----------------------------------------------------------------


def child_kiosk(started: float) -> dict:
    from kiosk.config import load_config
    from kiosk.ui.bootstrap import WindowPlan
    from kiosk.ui.runner import RunOptions, run

    result: dict = {}

    async def measure(r) -> None:
        ready = time.time()
        await r.tap(r.screen)
        await r.wait_for_screen("home")
        home = r.app.navigator.screen("home")
        top_bar = r.app.root.ids.top_bar.ids
        taps, draws = [], []
        for _ in range(ROUND_TRIPS):
            taps.append(await tap_until_drawn(home.tile("window_only"), lambda: r.screen_name == "group", draws))
            await r.frames(2)
            taps.append(await tap_until_drawn(top_bar.home, lambda: r.screen_name == "home", draws))
            await r.frames(2)
        result.update(summary(started, ready, taps, draws))
        result["every_touch"] = await every_kind_of_touch(r, ROUND_TRIPS // 3)

    out = Path(os.environ["BENCH_OUT"])
    # No device is attached here: without watch_devices=False every service that prints would be
    # closed (kiosk.availability) and a service's first screen would never open.
    outcome = run(load_config(), RunOptions(window=WindowPlan(multisamples=0), watch_devices=False), lambda: measure, out)
    if not outcome.ok:
        raise SystemExit(outcome.error)
    return result


def child_bare(started: float) -> dict:
    from kiosk.ui.bootstrap import WindowPlan, configure_window, prepare_environment

    prepare_environment(Path(os.environ["KIOSK_DATA_DIR"]))
    configure_window(WindowPlan(multisamples=0), production=False)
    from kivy.app import App
    from kivy.base import EventLoop
    from kivy.uix.button import Button
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    result: dict = {}

    class Bare(App):
        def build(self):
            manager = ScreenManager(transition=NoTransition())
            for name, target in (("a", "b"), ("b", "a")):
                screen = Screen(name=name)
                button = Button(text=f"屏幕 {name}", font_size=64)
                button.bind(on_release=lambda _b, t=target: setattr(manager, "current", t))
                screen.add_widget(button)
                manager.add_widget(screen)
            return manager

    async def measure(app) -> None:
        while EventLoop.status != "started" or app.root is None:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        ready = time.time()
        manager = app.root
        taps, draws = [], []
        for _ in range(ROUND_TRIPS * 2):
            target = "b" if manager.current == "a" else "a"
            button = manager.current_screen.children[0]
            taps.append(await tap_until_drawn(button, lambda t=target: manager.current == t, draws))
            await asyncio.sleep(0.05)
        result.update(summary(started, ready, taps, draws))
        app.stop()

    async def main() -> None:
        app = Bare()
        await asyncio.gather(app.async_run(async_lib="asyncio"), measure(app))

    asyncio.run(main())
    return result


# --- the parent ----------------------------------------------------------------------


def measure_child(kind: str, display: str, work: Path) -> dict:
    env = {
        **os.environ,
        "DISPLAY": display,
        "KIOSK_DATA_DIR": str(work / kind),
        "KIOSK_SIM_DIR": str(work / "sim"),
        "BENCH_OUT": str(work / kind / "out"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("KIOSK_CONFIG", None)
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(started)], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    import tempfile

    from kiosk.ui.display import VirtualDisplay

    with tempfile.TemporaryDirectory() as tmp, VirtualDisplay(1080, 1920) as display:
        bare = measure_child("bare", display.name, Path(tmp))
        kiosk = measure_child("kiosk", display.name, Path(tmp))
    print(f"{'':24}{'kiosk':>10}{'bare Kivy':>12}{'ratio':>8}")
    rows = (
        ("start_s", "start (s)"),
        ("touch_median_ms", "touch median (ms)"),
        ("touch_p90_ms", "touch p90 (ms)"),
        ("draw_median_ms", "  of it, drawing (ms)"),
    )
    for key, label in rows:
        print(f"{label:24}{kiosk[key]:>10.2f}{bare[key]:>12.2f}{kiosk[key] / bare[key]:>8.2f}")
    every = kiosk["every_touch"]
    print(f"every kind of touch ({every['taps']} taps, first touches included): tap to next screen drawn "
          f"median {every['latency_median_ms']:.1f} ms, p99 {every['latency_p99_ms']:.1f} ms; main-thread work per touch "
          f"median {every['work_median_ms']:.1f} ms, p99 {every['work_p99_ms']:.1f} ms, max {every['work_max_ms']:.1f} ms "
          f"(goal: one frame, {FRAME_S * 1000:.1f} ms)")
    print(f"  not in it: the buffer swap after each frame (software GL under Xvfb renders there; a GPU does it "
          f"off the CPU): median {every['swap_median_ms']:.1f} ms, p99 {every['swap_p99_ms']:.1f} ms")
    for kind, spent in every["over_one_frame"].items():
        print(f"  over one frame: {kind}: {', '.join(f'{ms} ms' for ms in spent)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        kind, started = sys.argv[2], float(sys.argv[3])
        outcome = child_kiosk(started) if kind == "kiosk" else child_bare(started)
        print(json.dumps(outcome))
    else:
        main()
