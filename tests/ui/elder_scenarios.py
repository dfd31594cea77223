"""长辈模式 inside the real app (`python -m kiosk.ui.scripted`), with real touches.

The attract and home screens in both modes and both languages (the screenshots of the
README), the toggle on the home screen and on the attract screen, then a new-card
application and a reissue (the lost card reported in the same visit) in the simpler mode,
with the staff button pressed once on the way. At every step the scenario records what the
kiosk said (captured from its speaker), the smallest text on the screen and how many choices
it offered.
"""

from __future__ import annotations

from kivy.core.window import Window

from kiosk.ui.demo_journey import choose, keep_voucher, place_card
from kiosk.ui.mode import Mode
from kiosk.ui.resident import ScriptedResident
from tests.ui.card_scenarios import Journey
from tests.ui.replace_scenarios import by_id_card, notice, step, the_rest
from tests.ui.scenarios import snapshot, start, text_widgets, top_bar
from tests.ui.voice_scenarios import Ears

CHOICE_KINDS = ("GroupTile", "MoreTile", "ServiceButton", "OptionButton", "EmployerLink")


def choices(r: ScriptedResident) -> list[str]:
    """The choices a resident can touch on the screen: tiles, services, options, 「更多」."""
    shown = []
    for widget in r.screen.walk(restrict=True):
        if type(widget).__name__ in CHOICE_KINDS and r.is_visible(widget) and widget.height > 0:
            shown.append(type(widget).__name__)
    return shown


def smallest_text(r: ScriptedResident) -> float:
    """The smallest text on the screen, top bar included, in pixels of a 1080-wide screen."""
    scale = min(Window.size) / 1080
    sizes = [w.font_size / scale for w in text_widgets(r)]
    return round(min(sizes), 1) if sizes else 0.0


class ElderJourney(Journey):
    """A Journey (screenshot and screen rules at every step) that also records, per step, what
    was spoken, the smallest text and the choices."""

    def __init__(self, r: ScriptedResident, key: str, ears: Ears) -> None:
        super().__init__(r, key)
        self.ears = ears
        self.steps: list[dict] = []

    async def shot(self, name: str) -> None:
        said = await self.ears.expect_screen(name)
        self.steps.append({"step": name, "screen": self.r.screen_name, "mode": str(self.r.app.mode),
                           "prompt": said["prompt"], "heard": (said["heard"] or {}).get("text"),
                           "smallest_px": smallest_text(self.r), "choices": choices(self.r)})  # fmt: skip
        await super().shot(f"elder-{name}")

    def record(self) -> None:
        super().record()
        self.r.record(f"{self.key}.steps", self.steps)


async def look(r: ScriptedResident, name: str) -> dict:
    await r.frames(5)
    await r.screenshot(name)
    seen = snapshot(r)
    return {"mode": str(r.app.mode), "lang": r.app.lang, "texts": seen["texts"], "problems": seen["problems"],
            "choices": choices(r), "smallest_px": smallest_text(r)}  # fmt: skip


async def home_pages(r: ScriptedResident) -> list[dict]:
    """Every page of the simpler home, 「更多」 pressed until the first page is back."""
    home = r.screen
    pages = []
    for _ in range(home.page_count()):
        pages.append({"choices": choices(r), "tiles": [t.group.code for t in home.choices() if t.group is not None],
                      "smallest_px": smallest_text(r)})  # fmt: skip
        if "MoreTile" in pages[-1]["choices"]:
            await r.tap(home.more_tile)
            await r.frames(3)
    r.record("home-elder-pages-wrap", [t.group.code for t in home.choices() if t.group is not None])
    return pages


async def modes_and_languages(r: ScriptedResident) -> None:
    """Attract (with the toggle), home standard zh/en, the toggle on home, home simpler zh/en."""
    r.record("attract", {**(await look(r, "attract")), "toggle": r.screen.ids.mode_toggle.current_phrase})
    await start(r)
    r.record("home-standard-zh", await look(r, "home-standard-zh"))
    await r.tap(top_bar(r).language)
    r.record("home-standard-en", await look(r, "home-standard-en"))
    await r.tap(top_bar(r).language)
    home = r.screen
    await r.tap(home.ids.mode_toggle)
    r.record("idle_after_toggle_s", r.app.idle.timeout_s)
    r.record("home-elder-zh", await look(r, "home-elder-zh"))
    r.record("home-elder-pages", await home_pages(r))
    await r.tap(top_bar(r).language)
    r.record("home-elder-en", await look(r, "home-elder-en"))
    await r.tap(top_bar(r).language)
    await r.tap(home.ids.mode_toggle)  # off again, by the same button
    await r.frames(3)
    r.record("off_again", {"mode": str(r.app.mode), "idle_s": r.app.idle.timeout_s, "choices": len(choices(r))})
    await r.tap(home.ids.mode_toggle)
    r.app.end_session("idle timeout")  # what the idle wipe does when the countdown runs out
    await r.wait_for_screen("attract", 10)
    await r.frames(3)
    r.record("after_wipe", {"mode": str(r.app.mode), "idle_s": r.app.idle.timeout_s, "theme_body": r.app.theme.body})


async def toggle_on_attract(r: ScriptedResident) -> None:
    await r.tap(r.screen.ids.mode_toggle)
    await r.wait_for_screen("home", 10)
    await r.frames(3)
    r.record("from_attract", {"mode": str(r.app.mode), "screen": r.screen_name})


async def press_staff_once(j: ElderJourney) -> None:
    """「呼叫工作人员」 on the current step; the notice closed, the step still there."""
    r = j.r
    screen = r.screen_name
    await r.tap(top_bar(r).call_staff)
    staff = r.app.staff
    await r.wait_until(lambda: staff.overlay.parent is not None and not staff.overlay.calling, 20, "the staff call's answer")
    await r.frames(3)
    await r.wait_until(lambda: any("工作人员" in h["text"] for h in j.ears.heard[-3:]), 20, "the notice said")
    await r.screenshot("elder-staff-call")
    r.record("staff_call", {"screen": screen, "centre_has_it": staff.last.centre_has_it, "light_on": staff.last.light_on,
                            "smallest_px": smallest_text(r), "heard": [h["text"] for h in j.ears.heard[-3:]]})  # fmt: skip
    await r.tap(staff.overlay.ids.ok)
    await r.frames(3)


async def open_tile(r: ScriptedResident, group: str) -> None:
    """The home tile for `group`, 「更多」 pressed until it is on the page."""
    from kiosk.ui.demo_journey import moved_on, signature

    await r.wait_for_screen("home", 10)
    home = r.screen
    for _ in range(6):
        if home.tile(group) in home.choices():
            break
        await r.tap(home.more_tile)
        await r.frames(3)
    before = signature(r)
    await r.tap(home.tile(group))
    await moved_on(r, before, f"the {group} tile")


async def apply_in_simpler_mode(r: ScriptedResident, ears: Ears) -> None:
    j = ElderJourney(r, "apply", ears)
    await open_tile(r, "new_card")
    await step(j, choose("self"), "who")
    await step(j, choose("reader"), "which-document")
    await place_card("resident")(r)
    await j.r.frames(3)
    await press_staff_once(j)
    await the_rest(j, "icbc", photo="new")


async def reissue_in_simpler_mode(r: ScriptedResident, ears: Ears) -> None:
    from kiosk.ui.demo_journey import moved_on, signature

    j = ElderJourney(r, "reissue", ears)
    await open_tile(r, "replace")
    await r.wait_for_screen("group", 10)
    await j.shot("group")
    before = signature(r)
    await r.tap(r.screen.button("reissue"))
    await moved_on(r, before, "the reissue flow")
    await by_id_card(j, "lost-not-reported")
    await step(j, choose("lost"), "situation")
    await notice(j, "not-yet-lost", "confirm")
    await the_rest(j, "boc")


async def elder_journeys(r: ScriptedResident) -> None:
    ears = Ears(r)
    await ears.attach()
    await modes_and_languages(r)
    await toggle_on_attract(r)
    await apply_in_simpler_mode(r, ears)
    r.record("mode_after_apply", str(r.app.mode))
    await reissue_in_simpler_mode(r, ears)
    r.record("mode_after_reissue", str(r.app.mode))
    r.record("mode_is_simpler", r.app.mode == Mode.SIMPLER)


async def voice_off_but_elder_speaks(r: ScriptedResident) -> None:
    """[voice] enabled = false, [elder] voice = true: silent in the standard mode, spoken in 长辈模式."""
    ears = Ears(r)
    await ears.attach()
    await start(r)
    await r.frames(30)  # long enough for a prompt to start, had one been allowed
    r.record("standard_heard", [h["text"] for h in ears.heard])
    await r.tap(r.screen.ids.mode_toggle)
    said = await ears.expect_screen("home in 长辈模式")
    r.record("simpler", {"prompt": said["prompt"], "heard": (said["heard"] or {}).get("text")})
