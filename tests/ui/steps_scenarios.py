"""Scripts for the step screens (kiosk/screens/{choose,...,done}), run inside the real app.

Each question is asked the way a flow asks it, through the shell's own `ScreenPort`, and
answered by touching the screen; the report records what the flow got back and what the
resident could see, for tests/ui/test_step_screens.py to judge.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import time

from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from PIL import Image

from kiosk.domain.identity import InvalidIdNumber, parse_id_number
from kiosk.domain.policy import load_policy
from kiosk.flows.steps import BACK, HOME_OPTION, RETRY_OPTION, Option
from kiosk.i18n import bi
from kiosk.ui.flow_host import ScreenPort
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import ID_NUMBER, PHONE, snapshot, top_bar

PIN = "135790"
LONG_TITLE = bi("请选择您方便去领卡的网点", "Please choose where you want to collect your card")


# --- asking like a flow -------------------------------------------------------------


async def ask(r: ScriptedResident, screen: str, **params) -> asyncio.Task:
    """Ask `screen` as a flow does; the task ends with the resident's answer."""
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    task = asyncio.ensure_future(port.ask(screen, **params))
    await r.wait_for_screen(screen)
    await r.frames(2)
    return task


async def answer(r: ScriptedResident, task: asyncio.Task, timeout_s: float = 5.0):
    await r.wait_until(task.done, timeout_s, "the screen's answer")
    return task.result()


async def both_languages(r: ScriptedResident, shot: str) -> dict:
    """Snapshots and screenshots of the current screen in Chinese, then English; back to Chinese."""
    seen = {"zh": snapshot(r)}
    await r.screenshot(f"{shot}-zh")
    await r.tap(top_bar(r).language)
    await r.frames(2)
    seen["en"] = snapshot(r)
    await r.screenshot(f"{shot}-en")
    await r.tap(top_bar(r).language)
    await r.frames(2)
    return seen


def inside(widget, area) -> bool:
    """Whether `widget` lies wholly within `area` on the screen (e.g. a list's viewport)."""
    x, y = widget.to_window(*widget.pos)
    ax, ay = area.to_window(*area.pos)
    return ax <= x and ay <= y and x + widget.width <= ax + area.width and y + widget.height <= ay + area.height


def shown(r: ScriptedResident, widget) -> bool:
    """On screen: in the widget tree, and neither hidden nor of zero size."""
    return widget.get_root_window() is not None and r.is_visible(widget)


async def type_keys(r: ScriptedResident, screen, keys: str) -> None:
    for key in keys:
        await r.tap(screen.key(key))


# --- choose, notice, wait, review, done --------------------------------------------


async def questions(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")

    # choose: all 49 outlets of the district, with their addresses.
    outlets = load_policy("chongqing-changshou").outlets
    options = [Option(o.id, bi(o.name, o.name), bi(o.address, o.address)) for o in outlets]
    task = await ask(r, "choose", title=LONG_TITLE, options=options, note=bi("共 49 个网点", "49 outlets"))
    screen = r.screen
    scroll = screen.ids.scroll
    r.record("choose_outlets", {**await both_languages(r, "choose"), "buttons": len(screen.ids.options.children)})
    paging = {"overflows": screen.overflows, "up_enabled": not screen.ids.page_up.disabled,
              "down_enabled": not screen.ids.page_down.disabled, "scroll_before": scroll.scroll_y}
    await r.tap(screen.ids.page_down)
    await r.frames(2)
    paging.update(scroll_after=scroll.scroll_y, up_enabled_after=not screen.ids.page_up.disabled)
    for _ in range(30):
        if screen.ids.page_down.disabled:
            break
        await r.tap(screen.ids.page_down)
    paging.update(at_bottom=scroll.scroll_y, down_enabled_at_bottom=not screen.ids.page_down.disabled)
    r.record("choose_paging", paging)
    last = screen.button(outlets[-1].id)
    r.record("choose_last_visible", inside(last, scroll))
    await r.tap(last)
    r.record("choose_answer", {"expected": outlets[-1].id, "answer": await answer(r, task)})

    short = [Option("bank-a", bi("中国工商银行", "ICBC")), Option("bank-b", bi("中国农业银行", "Agricultural Bank of China"))]
    task = await ask(r, "choose", title=bi("请选择银行", "Please choose a bank"), options=short)
    r.record("choose_short", {"overflows": r.screen.overflows, "texts": r.visible_text()})
    await r.screenshot("choose-short-zh")
    await r.tap(r.screen.button("bank-b"))
    r.record("choose_short_answer", await answer(r, task))
    task = await ask(r, "choose", title=bi("请选择银行", "Please choose a bank"), options=short)
    await r.tap(r.screen.ids.back)
    r.record("choose_back", await answer(r, task))

    # notice: the three tones, an action, Back.
    notices = {}
    for tone in ("error", "warning", "info"):
        task = await ask(
            r, "notice", title=bi("没有读到身份证", "The ID card could not be read"),
            body=bi("请把身份证平放在感应区上，不要移动。", "Lay the ID card flat on the reader and keep it still."),
            tone=tone, actions=[RETRY_OPTION, HOME_OPTION],
        )  # fmt: skip
        seen = await both_languages(r, f"notice-{tone}") if tone == "error" else {"zh": snapshot(r)}
        notices[tone] = {**seen, "ink": list(r.screen.ink), "back_shown": r.is_visible(r.screen.ids.back)}
        if tone == "error":
            await r.tap(r.screen.button(RETRY_OPTION.code))
            notices[tone]["answer"] = await answer(r, task)
        else:
            await r.tap(r.screen.ids.back)
            notices[tone]["answer"] = await answer(r, task)
    r.record("notices", notices)
    task = await ask(r, "notice", title=bi("标题", "Title"), body=bi("内容", "Body"), actions=[Option(BACK, bi("返回修改", "Go back and change it"))])
    r.record("notice_own_back", {"back_shown": r.is_visible(r.screen.ids.back)})
    await r.tap(r.screen.button(BACK))
    r.record("notice_own_back_answer", await answer(r, task))
    try:
        r.app.navigator.go("notice", title=bi("标题", "Title"), body=bi("内容", "Body"), tone="loud")
        r.record("notice_bad_tone", None)
    except ValueError as exc:
        r.record("notice_bad_tone", str(exc))

    # wait: every picture; the dots turn while shown and stop when it is left.
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    pictures = {}
    for picture in ("id_card", "card", "printer", "network", "camera"):
        await port.show("wait", title=bi("正在读卡", "Reading the card"), body=bi("请不要拔卡", "Please leave the card in"), picture=picture)
        await r.wait_for_screen("wait")
        pictures[picture] = snapshot(r)
        await r.screenshot(f"wait-{picture}")
    dots = r.screen.ids.dots
    lit = []
    for _ in range(4):
        lit.append(dots.lit)
        await asyncio.sleep(0.15)
    await port.show("wait", title=bi("正在连接", "Connecting"), body=bi("请稍等", "Please wait"), picture="network")
    await r.frames(2)
    r.record("wait", {"pictures": pictures, "lit": lit, "running": dots.running, **await both_languages(r, "wait")})
    task = await ask(r, "choose", title=bi("请选择", "Please choose"), options=short)
    r.record("wait_left", {"running": dots.running})
    await r.tap(r.screen.ids.back)
    await answer(r, task)

    # review: masked values, Confirm and Back, nothing left behind.
    rows = [
        (bi("姓名", "Name"), "张*丰"),
        (bi("身份证号码", "ID number"), "500115********1234"),
        (bi("手机号码", "Mobile phone"), "138****5678"),
        (bi("领卡网点", "Collect at"), f"{outlets[0].name}（{outlets[0].address}）"),
        (bi("银行", "Bank"), "中国农业银行"),
    ]
    task = await ask(r, "review", title=bi("请核对申领信息", "Please check your application"), rows=rows)
    r.record("review", {**await both_languages(r, "review"), "rows": r.screen.shown_rows()})
    await r.tap(r.screen.ids.confirm)
    r.record("review_confirm", await answer(r, task))
    task = await ask(r, "review", title=bi("请核对申领信息", "Please check your application"), rows=rows)
    review = r.screen
    await r.tap(review.ids.back)
    r.record("review_back", await answer(r, task))
    await port.show("wait", title=bi("请稍等", "Please wait"), body=bi("请稍等", "Please wait"))
    await r.frames(2)
    r.record("review_after_leaving", review.shown_rows())

    # done: OK by touch, and OK by itself.
    done_cls = type(r.app.navigator.screen("done"))
    task = await ask(
        r, "done", title=bi("申领成功", "Application made"),
        body=bi("请取走凭证，10 个工作日后凭凭证到网点领卡。", "Please take your voucher. Collect your card at the outlet in 10 working days."),
        extra=[bi("凭证号：CS01-T09-20261123-0001", "Voucher: CS01-T09-20261123-0001"), bi("咨询电话：12333", "Help line: 12333")],
    )  # fmt: skip
    r.record("done", await both_languages(r, "done"))
    await r.tap(r.screen.ids.ok)
    r.record("done_ok", await answer(r, task))
    done_cls.auto_ok_s = 1.5
    started = time.monotonic()
    task = await ask(r, "done", title=bi("办好了", "Done"), body=bi("谢谢", "Thank you"))
    countdown = r.screen.ids.countdown.text
    result = await answer(r, task, timeout_s=5)
    r.record("done_auto", {"answer": result, "after_s": round(time.monotonic() - started, 2), "countdown": countdown})


# --- keypad and PIN pad --------------------------------------------------------------


def check_id_number(text: str):
    try:
        parse_id_number(text)
    except InvalidIdNumber as exc:
        return exc.reason
    return None


def id_number_ending_in_x() -> str:
    """A made-up resident ID number whose GB 11643 check character is X."""
    for serial in range(1000):
        body = f"50011519800101{serial:03d}"
        for last in "0123456789X":
            try:
                parse_id_number(body + last)
            except InvalidIdNumber:
                continue
            if last == "X":
                return body + last
            break
    raise AssertionError("no ID number ending in X found")


async def typing(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")

    # A phone number, shown 3-4-4; nothing past 11 digits.
    task = await ask(r, "keypad", title=bi("请输入手机号码", "Please enter your mobile number"), keypad="phone",
                     hint=bi("用于接收领卡通知", "We send a message when your card is ready"))
    pad = r.screen
    before = {"confirm_enabled": not pad.ids.confirm.disabled, "clear_enabled": not pad.ids.clear_button.disabled}
    await type_keys(r, pad, "138001")
    half_typed = await both_languages(r, "keypad")
    await type_keys(r, pad, "38000")
    r.record("phone", {
        "before": before, **half_typed, "shown": pad.ids.shown.text,
        "full_key_disabled": pad.key("5").disabled, "confirm_enabled": not pad.ids.confirm.disabled,
    })  # fmt: skip
    await r.tap(pad.ids.confirm)
    r.record("phone_answer", await answer(r, task))
    r.record("phone_after", pad.ids.shown.text)

    # An ID number checked by the flow: a wrong check digit is refused in place.
    task = await ask(r, "keypad", title=bi("请输入身份证号码", "Please enter the ID number"), keypad="id_number", validate=check_id_number)
    pad = r.screen
    wrong = ID_NUMBER[:-1] + ("5" if ID_NUMBER[-1] != "5" else "6")
    await type_keys(r, pad, wrong[:17])
    x_at_18 = not pad.key("X").disabled
    await type_keys(r, pad, wrong[17])
    await r.tap(pad.ids.confirm)
    await r.frames(2)
    refused = {**snapshot(r), "done": task.done(), "error": pad.error.zh if pad.error else None,
               "shown": pad.ids.shown.text, "x_at_18": x_at_18}
    await r.screenshot("keypad-error-zh")
    await r.tap(pad.key("\b"))
    refused["error_after_delete"] = pad.error.zh if pad.error else None
    await type_keys(r, pad, ID_NUMBER[-1])
    await r.tap(pad.ids.confirm)
    r.record("id_refused", refused)
    r.record("id_answer", await answer(r, task))

    with_x = id_number_ending_in_x()
    task = await ask(r, "keypad", title=bi("请输入身份证号码", "Please enter the ID number"), keypad="id_number", validate=check_id_number)
    pad = r.screen
    x_before = pad.key("X").disabled
    await type_keys(r, pad, with_x)
    await r.tap(pad.ids.confirm)
    r.record("id_x", {"x_disabled_at_start": x_before, "typed": with_x, "answer": await answer(r, task)})

    # Latin text: no leading or double space; Clear empties; Back answers BACK.
    task = await ask(r, "keypad", title=bi("请输入姓名拼音", "Please type your name in pinyin"), keypad="text", max_length=20)
    pad = r.screen
    space_at_start = pad.key(" ").disabled
    await type_keys(r, pad, "ZHANG SAN-")
    text = {**await both_languages(r, "keypad-text"), "space_at_start_disabled": space_at_start, "shown": pad.ids.shown.text}
    await r.tap(pad.ids.clear_button)
    text["after_clear"] = {"shown": pad.ids.shown.text, "confirm_enabled": not pad.ids.confirm.disabled}
    await type_keys(r, pad, "LI MING")
    await r.tap(pad.ids.confirm)
    text["answer"] = await answer(r, task)
    r.record("text", text)
    task = await ask(r, "keypad", title=bi("请输入", "Please type"), keypad="digits")
    await type_keys(r, r.screen, "42")
    await r.tap(r.screen.ids.back)
    keypad_back = {"answer": await answer(r, task)}
    await ScreenPort("apply", r.app.session, r.app.navigator).show("wait", title=bi("请稍等", "Please wait"), body=bi("请稍等", "Please wait"))
    await r.frames(2)
    keypad = r.app.navigator.screen("keypad")
    keypad_back["after_leaving"] = {"shown": keypad.ids.shown.text, "typed": keypad.typed}
    r.record("keypad_back", keypad_back)

    # The PIN pad: shuffled, dots only, its buffer zeroed after the answer.
    pin_screen = r.app.navigator.screen("pin_pad")
    layouts = []
    task = await ask(r, "pin_pad", title=bi("请输入社保卡密码", "Please enter your card PIN"))
    layouts.append(pin_screen.layout())
    await r.tap(pin_screen.ids.back)
    await answer(r, task)
    task = await ask(r, "pin_pad", title=bi("请输入社保卡密码", "Please enter your card PIN"), hint=bi("6 位数字", "6 digits"))
    layouts.append(pin_screen.layout())
    confirm_before = not pin_screen.ids.confirm.disabled
    for digit in PIN[:3]:
        await r.tap(next(k for k in pin_screen.digit_keys() if k.key == digit))
    half_typed = await both_languages(r, "pin_pad")
    for digit in PIN[3:]:
        await r.tap(next(k for k in pin_screen.digit_keys() if k.key == digit))
    pin = {
        **half_typed, "texts_when_full": r.visible_text(), "layouts": layouts, "count": pin_screen.count,
        "dots_filled": pin_screen.ids.dots.filled, "confirm_before": confirm_before,
        "confirm_after": not pin_screen.ids.confirm.disabled,
        "digit_keys_disabled_when_full": all(k.disabled for k in pin_screen.digit_keys()),
    }  # fmt: skip
    await r.tap(pin_screen.ids.confirm)
    got = await answer(r, task)
    pin.update(answer_type=type(got).__name__, answer=bytes(got).decode(), buffer_zeroed=not any(pin_screen._digits),
               count_after=pin_screen.count)
    r.record("pin", pin)

    # Typed digits are wiped on Clear, on leaving and when the session ends.
    wiped = {}
    task = await ask(r, "pin_pad", title=bi("请输入密码", "Please enter the PIN"))
    for key in pin_screen.digit_keys()[:3]:
        await r.tap(key)
    await r.tap(pin_screen.ids.clear_button)
    wiped["clear"] = (pin_screen.count, any(pin_screen._digits))
    for key in pin_screen.digit_keys()[:3]:
        await r.tap(key)
    r.app.session.clear()
    wiped["session_clear"] = (pin_screen.count, any(pin_screen._digits))
    for key in pin_screen.digit_keys()[:3]:
        await r.tap(key)
    await r.tap(top_bar(r).home)
    await r.wait_for_screen("home")
    wiped["left"] = (pin_screen.count, any(pin_screen._digits))
    wiped["cancelled"] = task.cancelled() or not task.done()
    r.record("pin_wiped", wiped)


# --- signature ----------------------------------------------------------------------


async def stroke(r: ScriptedResident, widget, points: list[tuple[float, float]]) -> None:
    """A finger put down, moved through `points` (fractions of the widget) and lifted."""
    def at(fx, fy):
        return widget.to_window(widget.x + fx * widget.width, widget.y + fy * widget.height)

    touch = UnitTestTouch(*at(*points[0]))
    touch.touch_down()
    await r.frames(1)
    for fx, fy in points[1:]:
        touch.touch_move(*at(fx, fy))
        await r.frames(1)
    touch.touch_up()
    await r.frames(2)


async def signing(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")
    statement = bi(
        "本人承诺以上信息真实有效，委托银行制作社会保障卡。",
        "I confirm that this information is true and ask the bank to make my social security card.",
    )
    task = await ask(r, "sign", title=bi("请签名", "Please sign"), statement=statement)
    screen = r.screen
    pad = screen.ids.pad
    before = {"confirm_enabled": not screen.ids.confirm.disabled}
    await r.tap(pad)  # a tap is a dot: Clear can take it away, but it is no signature
    before["after_tap"] = {"confirm_enabled": not screen.ids.confirm.disabled,
                           "clear_enabled": not screen.ids.clear_button.disabled}
    await r.tap(screen.ids.clear_button)
    # A stroke in the pad's upper left quarter only (fractions from the bottom left).
    await stroke(r, pad, [(0.08, 0.9), (0.15, 0.75), (0.25, 0.85), (0.35, 0.6), (0.45, 0.7)])
    seen = await both_languages(r, "sign")
    enabled = not screen.ids.confirm.disabled
    await r.tap(screen.ids.confirm)
    png = await answer(r, task)
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    dark = [(x, y) for x in range(width) for y in range(height) if image.getpixel((x, y)) < 96]
    r.record("sign", {
        **seen, "before": before, "confirm_enabled": enabled, "png_magic": png[:8].hex(),
        "png_size": [width, height], "pad_size": [round(pad.width), round(pad.height)], "dark_pixels": len(dark),
        # image rows run top-down: the ink belongs in the upper left quarter
        "dark_in_upper_left": sum(1 for x, y in dark if x < width / 2 and y < height / 2),
        "white_share": round(sum(1 for v in image.getdata() if v > 240) / (width * height), 3),
    })  # fmt: skip

    task = await ask(r, "sign", title=bi("请签名", "Please sign"), statement=statement)
    await stroke(r, pad, [(0.2, 0.5), (0.5, 0.5), (0.8, 0.5)])
    had_ink = pad.has_ink
    await r.tap(screen.ids.clear_button)
    cleared = {"had_ink": had_ink, "has_ink": pad.has_ink, "confirm_enabled": not screen.ids.confirm.disabled}
    await stroke(r, pad, [(0.2, 0.5), (0.5, 0.5), (0.8, 0.5)])
    await r.tap(screen.ids.back)
    cleared["back"] = await answer(r, task)
    await ScreenPort("apply", r.app.session, r.app.navigator).show("wait", title=bi("请稍等", "Please wait"), body=bi("请稍等", "Please wait"))
    await r.frames(2)
    cleared["after_leaving"] = {"strokes": pad.strokes, "has_ink": pad.has_ink}
    r.record("sign_clear", cleared)


# --- photo, with the camera simulator -----------------------------------------------


async def photo(r: ScriptedResident) -> None:
    from hwsim.control import send
    from kiosk.drivers.factory import build_camera
    from kiosk.drivers.simulation import load_simulator_hooks
    from kiosk.photo import PhotoSession, guidance

    await r.tap(r.screen)
    await r.wait_for_screen("home")
    camera = build_camera(r.app.terminal.devices.camera, load_simulator_hooks(r.app.terminal)).start()
    try:
        # The button alone here (the photo that takes itself: tests/ui/review_photo_scenarios.py).
        session = PhotoSession(camera, dataclasses.replace(r.app.terminal.photo, auto_capture=False))
        task = await ask(r, "photo", title=bi("拍照片", "Your photo"), session=session)
        screen = r.screen
        take = screen.buttons["take"]
        await r.wait_until(lambda: screen.ready, 15, "a preview that passes")
        await r.frames(2)
        live = {**await both_languages(r, "photo"), "take_enabled": not take.disabled,
                "guidance": screen.guidance.zh, "skip_shown": shown(r, screen.buttons["skip"])}
        counted = screen.previews_shown
        await asyncio.sleep(1.0)
        live["previews_per_s"] = screen.previews_shown - counted
        await r.tap(take)
        await r.wait_until(lambda: screen.stage == "result", 5, "the accepted photo")
        await r.frames(2)
        live["result"] = {**snapshot(r), "previewing": screen.previewing,
                          "picture_size": list(screen.ids.picture.texture.size)}
        await r.screenshot("photo-result-zh")
        await r.tap(screen.buttons["use"])
        attempt = await answer(r, task)
        live["answer"] = {"type": type(attempt).__name__, "passed": attempt.passed, "jpeg": len(attempt.photo_jpeg or b"")}
        live["previewing_after"] = screen.previewing
        r.record("photo", live)

        # Retake goes back to the mirror; an optional photo can be skipped.
        task = await ask(r, "photo", title=bi("拍照片", "Your photo"), session=session, optional=True)
        await r.wait_until(lambda: screen.ready, 15, "a preview that passes")
        await r.tap(screen.buttons["take"])
        await r.wait_until(lambda: screen.stage == "result", 5, "the accepted photo")
        await r.tap(screen.buttons["retake"])
        await r.frames(2)
        retake = {"stage": screen.stage, "previewing": screen.previewing, "attempt": screen.attempt is not None,
                  "skip_shown": shown(r, screen.buttons["skip"])}
        # A grey backdrop: the resident is told, and the photo cannot be taken.
        send("camera", "scene", name="grey-background")
        await r.wait_until(lambda: screen.guidance == guidance.WHITE_BACKGROUND, 15, "the white-background guidance")
        await r.frames(2)
        seen_take_enabled = False
        for _ in range(10):
            seen_take_enabled = seen_take_enabled or not screen.buttons["take"].disabled
            await asyncio.sleep(0.1)
        await r.tap_at(*screen.buttons["take"].to_window(*screen.buttons["take"].center))
        grey = {**snapshot(r), "take_ever_enabled": seen_take_enabled, "stage": screen.stage, "done": task.done()}
        await r.screenshot("photo-grey-zh")
        # Holding still for the camera is not walking away; an empty camera view is.
        idle = r.app.idle
        await asyncio.sleep(2.0)  # no touch, a face in view
        presence = {"timeout_s": idle.timeout_s, "face_seen_left_s": idle.reading().seconds_left}
        send("camera", "scene", name="no-face")
        await r.wait_until(lambda: screen._latest is not None and screen._latest.check.face is None, 15, "a frame with nobody in it")
        await asyncio.sleep(2.0)  # no touch, nobody in view
        presence["nobody_left_s"] = idle.reading().seconds_left
        r.record("photo_presence", presence)
        await r.tap(screen.buttons["skip"])
        grey["answer"] = await answer(r, task)
        await r.frames(2)
        grey["previewing_after"] = screen.previewing
        await ScreenPort("apply", r.app.session, r.app.navigator).show("wait", title=bi("请稍等", "Please wait"), body=bi("请稍等", "Please wait"))
        await r.frames(2)
        grey["after_leaving"] = {"picture": screen.ids.picture.texture is not None, "attempt": screen.attempt is not None}
        r.record("photo_retake", retake)
        r.record("photo_grey", grey)
    finally:
        camera.close()


# --- every step screen on a landscape kiosk -------------------------------------------


def step_catalogue() -> dict[str, dict]:
    """One of each step screen with the params a flow gives it, by screenshot name
    ("keypad-text" is the keypad screen): the landscape walk's and the screen checks'."""
    outlets = load_policy("chongqing-changshou").outlets
    return {
        "choose": dict(title=LONG_TITLE, options=[Option(o.id, bi(o.name, o.name), bi(o.address, o.address)) for o in outlets]),
        "notice": dict(title=bi("没有读到身份证", "The ID card could not be read"),
                       body=bi("请把身份证平放在感应区上。", "Lay the ID card flat on the reader."), tone="warning",
                       actions=[RETRY_OPTION, HOME_OPTION]),
        "wait": dict(title=bi("正在读卡", "Reading the card"), body=bi("请不要拔卡", "Please leave the card in"), picture="card"),
        "keypad": dict(title=bi("请输入手机号码", "Please enter your mobile number"), keypad="phone"),
        "keypad-text": dict(title=bi("请输入姓名拼音", "Please type your name in pinyin"), keypad="text"),
        "pin_pad": dict(title=bi("请输入社保卡密码", "Please enter your card PIN")),
        "review": dict(title=bi("请核对", "Please check"), rows=[(bi("手机号码", "Mobile phone"), "138****5678")]),
        "sign": dict(title=bi("请签名", "Please sign"), statement=bi("本人承诺以上信息真实。", "I confirm this is true.")),
        "done": dict(title=bi("办好了", "Done"), body=bi("请取走凭证。", "Please take your voucher.")),
    }


async def landscape(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")
    r.record("window", list(Window.size))
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    steps = step_catalogue()
    seen = {}
    for shot, params in steps.items():
        await port.show(shot.split("-")[0], **params)
        await r.frames(3)
        if shot == "keypad":
            await type_keys(r, r.screen, PHONE)
        seen[shot] = await both_languages(r, shot)
    r.record("screens", {f"{k} {lang}": v[lang] for k, v in seen.items() for lang in v})
