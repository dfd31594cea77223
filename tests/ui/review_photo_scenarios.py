"""Scripts for the review screen's 「修改」 and the photo that takes itself, run inside the
real app (tests/ui/test_review_photo.py judges the report).

The review is asked the way the flows ask it (kiosk.flows.review.ask_review through the
shell's ScreenPort, inside apply_card.walk), and answered by touching the screen; the photo
screen reads the camera simulator's MJPEG stream through the kiosk's real camera driver.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

from kiosk.flows import apply_card
from kiosk.flows.review import ask_review
from kiosk.flows.steps import CONFIRM
from kiosk.i18n import bi
from kiosk.ui.flow_host import ScreenPort
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import snapshot, start, top_bar
from tests.ui.steps_scenarios import ask, both_languages, type_keys

NAME = "LI JIANGUO"  # a typed passport name: shown in full
PHONE = "13812345678"
NEW_PHONE = "13900001111"


def listen(r: ScriptedResident) -> list[str]:
    """What the kiosk says from now on: each text as the shell hands it to the voice
    (whether or not this machine has a sound output to play it on)."""
    from kiosk.ui.voice_prompts import spoken_text

    said: list[str] = []
    voice = r.app.voice
    original = voice.say

    def say(phrases) -> None:
        phrases = list(phrases)
        said.append(spoken_text(phrases, r.app.lang))
        original(phrases)

    voice.say = say
    return said


def camera_session(r: ScriptedResident, **settings):
    from kiosk.drivers.factory import build_camera
    from kiosk.drivers.simulation import load_simulator_hooks
    from kiosk.photo import PhotoSession

    camera = build_camera(r.app.terminal.devices.camera, load_simulator_hooks(r.app.terminal)).start()
    return camera, PhotoSession(camera, dataclasses.replace(r.app.terminal.photo, **settings))


# --- review: 修改 → the step → back to the review --------------------------------------


class Application:
    """What the little walk below keeps: the phone, as apply_card.enter_phone sets it."""

    phone = PHONE


async def review_change(r: ScriptedResident) -> None:
    await start(r)
    await r.wait_until(lambda: r.app.voice is None or r.app.voice.speaker is not None, 10, "the voice")
    photo = _photo_jpeg()
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    phone_label, photo_label = apply_card.LABELS["phone"], apply_card.LABELS["photo"]
    application = Application()

    async def review(port, app) -> str:
        from kiosk.domain.masking import mask_phone

        rows = [(apply_card.LABELS["service"], bi("申领社保卡", "Apply for a card")),
                (bi("持卡人（您）", "Cardholder (you)"), NAME),
                (photo_label, photo),
                (apply_card.LABELS["bank"], bi("中国工商银行", "ICBC")),
                (phone_label, mask_phone(app.phone))]  # fmt: skip
        answer = await ask_review(port, bi("请核对您的信息", "Please check your details"), rows,
                                  {phone_label: apply_card.enter_phone, photo_label: apply_card.take_photo})  # fmt: skip
        return apply_card.NEXT if answer == CONFIRM else answer

    walking = asyncio.ensure_future(apply_card.walk(port, application, (review,)))
    await r.wait_for_screen("review")
    await r.frames(3)
    screen = r.screen
    seen = {**await both_languages(r, "review"), "rows": screen.shown_rows(), "changeable": screen.changeable_rows()}
    thumbnail = screen.row(photo_label).ids.thumbnail
    seen["thumbnail"] = {"size": list(thumbnail.size), "visible": r.is_visible(thumbnail),
                         "texture": list(thumbnail.texture.size) if thumbnail.texture else None}  # fmt: skip
    await r.tap(top_bar(r).language)
    await r.frames(3)
    seen["rows_en"] = screen.shown_rows()
    await r.tap(top_bar(r).language)
    await r.frames(2)
    change = screen.row(phone_label).ids.change
    seen["change_button"] = {"height": change.height, "width": change.width, "visible": r.is_visible(change)}
    await r.tap(change)
    await r.wait_for_screen("keypad")
    await r.frames(2)
    seen["step"] = snapshot(r)
    await type_keys(r, r.screen, NEW_PHONE)
    await r.tap(r.screen.ids.confirm)
    await r.wait_for_screen("review")
    await r.frames(3)
    seen["after"] = r.screen.shown_rows()
    await r.screenshot("review-after-change-zh")
    await r.tap(r.screen.ids.confirm)
    await r.wait_until(walking.done, 5, "the walk to finish")
    seen["walked"] = walking.result()
    seen["phone"] = application.phone
    r.record("review", seen)


def _photo_jpeg() -> bytes:
    import cv2

    from hwsim.camera.scenes import render
    from kiosk.photo import assess, crop_one_inch, encode_photo

    frame = render("white", (640, 480))
    return encode_photo(crop_one_inch(frame, assess(frame).face))


# --- the photo that takes itself ------------------------------------------------------


async def photo_auto(r: ScriptedResident) -> None:
    from hwsim.control import send

    await start(r)
    await r.wait_until(lambda: r.app.voice is None or r.app.voice.speaker is not None, 10, "the voice")
    heard = listen(r)
    # A slow count, so each number can be seen and photographed.
    camera, session = camera_session(r, auto_capture_hold_s=1.0, countdown_step_s=2.5)
    try:
        send("camera", "scene", name="offset-camera-left")
        task = await ask(r, "photo", title=bi("拍一张1寸照片", "Take a 1-inch photo"), session=session)
        screen = r.screen
        await r.wait_until(lambda: screen.previews_shown > 3, 15, "the mirror")
        await r.frames(2)
        report = {"not_ready": {**snapshot(r), "count": screen.count, "ready": screen.ready}}
        await r.screenshot("photo-guidance-zh")
        send("camera", "scene", name="white")
        green_at = await r.wait_until(lambda: screen.ready, 15, "a preview that passes")
        await r.wait_until(lambda: screen.count == 3, 5, "the count to start")
        counting_at = time.monotonic()
        await r.frames(2)
        report["counting"] = {**snapshot(r), "count": screen.count, "stage": screen.stage}
        await r.screenshot("photo-countdown-zh")
        await r.tap(top_bar(r).language)
        await r.wait_until(lambda: screen.count == 2, 5, "two")
        await r.frames(2)
        report["counting_en"] = {**snapshot(r), "count": screen.count}
        await r.screenshot("photo-countdown-en")
        await r.tap(top_bar(r).language)
        await r.wait_until(lambda: screen.stage == "result", 10, "the photo to take itself")
        report["took_after_s"] = round(time.monotonic() - counting_at, 2)
        report["green_wait_s"] = round(green_at, 2)
        await r.frames(3)
        report["result"] = {**snapshot(r), "previewing": screen.previewing, "attempt": screen.attempt is not None and screen.attempt.passed}
        await r.screenshot("photo-result-zh")
        await asyncio.sleep(0.5)
        report["heard"] = list(heard)
        # The resident can still retake: back to the mirror, and a face that moves away
        # during the count stops it.
        await r.tap(screen.buttons["retake"])
        await r.wait_until(lambda: screen.count == 3, 15, "the count again")
        send("camera", "scene", name="two-faces")
        await r.wait_until(lambda: not screen.ready, 10, "the second person seen")
        await r.frames(2)
        report["interrupted"] = {"count": screen.count, "stage": screen.stage, "guidance": screen.guidance.zh}
        await asyncio.sleep(3.0)
        report["interrupted"]["stage_later"] = screen.stage
        # The manual shutter still works, and at once.
        send("camera", "scene", name="white")
        await r.wait_until(lambda: screen.ready, 15, "a preview that passes")
        await r.tap(screen.buttons["take"])
        await r.wait_until(lambda: screen.stage == "result", 5, "the photo taken by hand")
        report["manual_count_when_taken"] = screen.count
        await r.tap(screen.buttons["use"])
        attempt = await asyncio.wait_for(task, 5)
        report["answer"] = {"passed": attempt.passed, "jpeg": len(attempt.photo_jpeg or b"")}
        r.record("photo_auto", report)
    finally:
        camera.close()
