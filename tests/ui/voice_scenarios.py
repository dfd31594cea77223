"""Scripts for the voice and the staff-call button, run inside the real app (tests/ui/test_voice.py,
tests/ui/test_staff_call.py). What the kiosk said is captured from its speaker as it starts
playing: the text, the language, and how loud the rendered WAV is."""

from __future__ import annotations

import asyncio
import re

from kiosk.flows.steps import OK_OPTION, Option
from kiosk.i18n import bi
from kiosk.ui import texts as T
from kiosk.ui.flow_host import ScreenPort
from kiosk.ui.resident import ScriptedResident
from kiosk.ui.staff_call import COMING, COMING_OFFLINE, WAIT_HERE
from kiosk.ui.voice_prompts import screen_prompt, spoken_text
from kiosk.voice.sound import loudness
from tests.ui.scenarios import open_group, snapshot, start, top_bar

NAME = "张三丰"  # on the review screen as a resident's own data: never to be spoken

# One sample of every step screen, as a flow asks it (kiosk/flows/steps.py).
STEPS = {
    "choose": dict(title=bi("请选择领卡方式", "How do you want to get your card?"),
                   options=[Option("outlet", bi("到本网点领取", "Collect it here")), Option("post", bi("邮寄到家", "By post"))],
                   note=bi("邮寄需要几天时间", "Post takes a few days")),
    "notice": dict(title=bi("身份证读不出来", "Your ID card cannot be read"),
                   body=bi("请把身份证平放在读卡区，不要移动。", "Lay your ID card flat on the reader and keep it still."),
                   tone="warning"),
    "keypad": dict(title=bi("请输入手机号码", "Please type your mobile number"), keypad="phone",
                   hint=bi("用于通知您领卡", "We text you when the card is ready")),
    "pin_pad": dict(title=bi("请输入社保卡密码", "Please enter your card PIN"), hint=bi("6位数字", "6 digits")),
    "review": dict(title=bi("请核对您的信息", "Please check your details"), rows=[(bi("姓名", "Name"), NAME)]),
    "sign": dict(title=bi("请签名", "Please sign"), statement=bi("以上信息真实有效", "The details above are true")),
    "done": dict(title=bi("申请已提交", "Application sent"), body=bi("请取走身份证和凭证", "Please take your ID card and voucher")),
}  # fmt: skip


def sound_card(monkeypatch, work):
    """For the test process: the kiosk it starts plays into a file through SDL's "disk" audio
    driver (44.1 kHz 16-bit stereo, what Kivy's mixer opens) instead of a sound card."""
    out = work / "played.raw"
    monkeypatch.setenv("SDL_AUDIODRIVER", "disk")
    monkeypatch.setenv("SDL_DISKAUDIOFILE", str(out))
    return out


def first_sentence(text: str) -> str:
    return re.split(r"[。！？.!?]", text, maxsplit=1)[0].strip()


class Ears:
    """Everything the kiosk's speaker started playing, in order."""

    def __init__(self, r: ScriptedResident) -> None:
        self.heard: list[dict] = []
        self.r = r
        self._since = 0  # heard before this belongs to screens already expected

    async def attach(self) -> None:
        await self.r.wait_until(lambda: self.r.app.voice.speaker is not None, 20, "the voice to be built")
        self.r.app.voice.speaker.spoken.add(self._heard)

    def _heard(self, spoken) -> None:
        sound = loudness(spoken.rendering.path)  # now: a personal prompt's file goes once played
        self.heard.append({"text": spoken.text, "language": spoken.language, "seconds": round(sound.seconds, 2),
                           "rms": round(sound.rms), "silent": sound.silent, "cached": spoken.rendering.cached})  # fmt: skip

    async def expect_screen(self, what: str, timeout_s: float = 20) -> dict:
        """Wait until the current screen's prompt is heard; what was heard and what was shown.
        A screen whose prompt changes while it is up (the photo's guidance, its 3-2-1, the photo
        taken) said it as it was when it opened: an utterance since the last screen that opens
        with the same title counts (the prompt always starts with the screen's title)."""
        r = self.r
        prompts: list[str] = []

        def said() -> dict | None:
            prompt = spoken_text(screen_prompt(r.screen), r.app.lang)
            if prompt not in prompts:
                prompts.append(prompt)
            titles = {first_sentence(p) for p in prompts}
            return next((h for h in reversed(self.heard[self._since:])
                         if h["text"] in prompts or first_sentence(h["text"]) in titles), None)  # fmt: skip

        try:
            await r.wait_until(lambda: said() is not None, timeout_s, f"the prompt of {what}")
        except Exception:
            pass  # recorded as not heard; the test says which
        heard = said()
        if heard is not None:
            self._since = self.heard.index(heard) + 1  # the next screen's prompt comes after it
        return {"screen": r.screen_name, "prompt": heard["text"] if heard else prompts[-1], "heard": heard, "shown": snapshot(r)}


async def ask(r: ScriptedResident, screen: str, **params) -> asyncio.Task:
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    task = asyncio.ensure_future(port.ask(screen, **params))
    await r.wait_for_screen(screen)
    return task


async def voice_steps(r: ScriptedResident) -> None:
    """Every kind of screen speaks its own words; say again, the other language, a change mid-speech."""
    ears = Ears(r)
    await ears.attach()
    r.record("state", {"voice": str(r.app.voice.speaker.state), "reason": r.app.voice.speaker.reason})
    await start(r)
    screens = {"home": await ears.expect_screen("home")}
    await open_group(r, "pin")
    screens["group"] = await ears.expect_screen("group")
    await r.tap(top_bar(r).home)
    await r.wait_for_screen("home")
    await open_group(r, "window_only")
    screens["window_only_group"] = await ears.expect_screen("the window-only group")
    await r.tap(r.screen.ids.services.children[-1])  # its first service: what to bring to the window
    await r.wait_for_screen("service_info")
    screens["service_info"] = await ears.expect_screen("service_info")
    tasks = []
    for name, params in STEPS.items():
        tasks.append(await ask(r, name, **params))
        screens[name] = await ears.expect_screen(name)
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    await port.show("wait", title=bi("正在提交，请稍候", "Sending, please wait"), body=bi("请不要离开", "Please stay here"))
    await r.wait_for_screen("wait")
    screens["wait"] = await ears.expect_screen("wait")
    r.record("screens", screens)

    # 「再听一遍」: the same words again.
    before = len(ears.heard)
    await r.tap(top_bar(r).say_again)
    await r.wait_until(lambda: len(ears.heard) > before, 20, "the prompt again")
    r.record("say_again", {"before": ears.heard[before - 1]["text"], "again": ears.heard[-1]["text"]})

    # The other language: the same screen, said in English.
    await r.tap(top_bar(r).language)
    r.record("english", await ears.expect_screen("wait in English"))
    await r.tap(top_bar(r).language)

    # A screen's words change while it speaks: only the newest is heard last, the old one stopped.
    first = dict(title=bi("第一条通知", "First notice"), body=bi("这一条说到一半就换了。", "This one is replaced halfway."))
    second = dict(title=bi("第二条通知", "Second notice"), body=bi("请听这一条。", "Listen to this one."))
    await ask(r, "notice", **first)
    await r.wait_until(lambda: "第一条通知" in ears.heard[-1]["text"], 20, "the first notice to start")
    await ask(r, "notice", **second)
    changed = await ears.expect_screen("the second notice")
    await r.frames(10)
    r.record("changed", {"heard_last": ears.heard[-1]["text"], "prompt": changed["prompt"],
                         "first_after_second": any("第一条通知" in h["text"] for h in ears.heard[ears.heard.index(changed["heard"]):])})  # fmt: skip

    # The resident leaves: the voice stops and the attract screen says nothing.
    heard_before = len(ears.heard)
    r.app.end_session("test")
    await r.wait_for_screen("attract")
    await asyncio.sleep(1.0)
    audio = r.app.voice.speaker.audio
    r.record("left", {"new_prompts": len(ears.heard) - heard_before, "still_playing": getattr(audio, "_sound", None) is not None})
    r.record("heard", ears.heard)


async def voice_idle_warning(r: ScriptedResident) -> None:
    """The idle countdown is spoken, not only shown."""
    ears = Ears(r)
    await ears.attach()
    await start(r)
    await r.wait_until(lambda: r.app.overlay.parent is not None, 30, "the countdown")
    await r.wait_until(lambda: any(T.IDLE_QUESTION.zh in h["text"] for h in ears.heard), 20, "the countdown to be said")
    r.record("heard", ears.heard)


async def voice_without_sound(r: ScriptedResident) -> None:
    """No sound card: the kiosk goes on, silently, and says why."""
    ears = Ears(r)
    await ears.attach()
    await start(r)
    await r.wait_until(lambda: str(r.app.voice.speaker.state) != "ready", 20, "the voice to find there is no sound output")
    await open_group(r, "pin")
    await r.tap(top_bar(r).home)
    await r.wait_for_screen("home")
    r.record("state", {"voice": str(r.app.voice.speaker.state), "reason": r.app.voice.speaker.reason,
                       "screen": r.screen_name, "heard": ears.heard})  # fmt: skip


# --- 呼叫工作人员 -----------------------------------------------------------------------------


async def staff_call(r: ScriptedResident) -> None:
    """A resident on a step presses 「呼叫工作人员」 in the top bar, in Chinese, then in English."""
    ears = Ears(r)
    await ears.attach()
    await start(r)
    task = await ask(r, "keypad", **STEPS["keypad"])
    await r.frames(3)
    await r.screenshot("top-bar-zh")
    await r.tap(top_bar(r).call_staff)
    staff = r.app.staff
    await r.wait_until(lambda: staff.overlay.parent is not None and not staff.overlay.calling, 20, "the staff call's answer")
    await r.frames(3)
    await r.wait_until(lambda: any(COMING.zh in h["text"] for h in ears.heard), 20, "the notice to be said")
    await r.screenshot("staff-call-zh")
    notice = {"title": staff.overlay.title.zh, "body": staff.overlay.body.zh, "phone": staff.overlay.phone.zh,
              "light_on": staff.last.light_on, "centre_has_it": staff.last.centre_has_it, "texts": r.visible_text()}  # fmt: skip
    await r.tap(staff.overlay.ids.ok)
    await r.frames(3)
    r.record("zh", {**notice, "closed": staff.overlay.parent is None, "screen": r.screen_name, "flow_waiting": not task.done()})
    await r.tap(top_bar(r).language)
    await r.frames(3)
    await r.screenshot("top-bar-en")
    await r.tap(top_bar(r).call_staff)
    await r.wait_until(lambda: staff.overlay.parent is not None and not staff.overlay.calling, 20, "the second call's answer")
    await r.frames(3)
    await r.screenshot("staff-call-en")
    r.record("en", {"texts": r.visible_text()})
    await r.tap(staff.overlay.ids.ok)
    r.record("heard", [h["text"] for h in ears.heard])


async def staff_call_offline(r: ScriptedResident) -> None:
    """The centre cannot be reached: the light still calls, the notice says the network is down and shows the phone."""
    await start(r)
    await r.tap(top_bar(r).call_staff)
    staff = r.app.staff
    await r.wait_until(lambda: staff.overlay.parent is not None and not staff.overlay.calling, 30, "the staff call's answer")
    await r.frames(3)
    await r.screenshot("staff-call-offline-zh")
    r.record("notice", {"title": staff.overlay.title.zh, "body": staff.overlay.body.zh, "phone": staff.overlay.phone.zh,
                        "coming": staff.overlay.title == COMING, "offline_body": staff.overlay.body == COMING_OFFLINE,
                        "online_body": staff.overlay.body == WAIT_HERE, "texts": r.visible_text()})  # fmt: skip


async def staff_button_where_staff_are_named(r: ScriptedResident) -> None:
    """A screen that says 请找工作人员 points at the button; another one does not."""
    await start(r)
    await ask(r, "notice", title=bi("读卡器没有连接好", "The reader is not connected"),
              body=bi("请找工作人员帮忙，或到服务窗口办理。", "Please ask the staff for help, or go to a service window."),
              tone="error", actions=[OK_OPTION])  # fmt: skip
    await r.frames(10)
    named = r.app.root.ids.top_bar.emphasise_staff
    await r.screenshot("staff-named")
    await ask(r, "notice", **STEPS["notice"])
    await r.frames(10)
    r.record("emphasis", {"staff_named": named, "other": r.app.root.ids.top_bar.emphasise_staff})
