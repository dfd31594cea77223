"""Take the resident's 1-inch photo: a live mirror under 「请看屏幕上方的摄像头 ↑」, one
sentence of guidance on a flat banner, and the photo takes itself once the guidance has been
green for a moment and a spoken 3-2-1 has run (kiosk.photo.shutter; `[photo] auto_capture`);
the "Take photo" button stays, and works only while the picture passes the checks. Then the
accepted 358x441 photo to keep or retake. Hats and tinted glasses are named on the screen:
they are told, not detected (the checks find a face, its light, place, size and sharpness,
and the backdrop).

Frames are read and checked on a worker thread (`PreviewPoller`, at most ~15 a second),
never on the UI thread; each result reaches the screen through the Kivy clock. The
worker stops when the photo is taken and whenever the screen is left, and the pictures
of the resident's face are dropped from the screen then too.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.drivers.status import CancelToken, Completion, ResultCode
from kiosk.flows.steps import SKIP
from kiosk.i18n import Bilingual, bi
from kiosk.photo.display import texture_pixels
from kiosk.photo.session import Attempt, PhotoSession, Preview
from kiosk.photo.shutter import AutoShutter, ShutterPhase
from kiosk.screens.parts import STEP_BACK, StepButton, StepScreen, jpeg_texture

log = logging.getLogger(__name__)

TAKE_PHOTO = bi("拍照", "Take photo")
RETAKE = bi("重拍", "Retake")
USE_PHOTO = bi("使用这张", "Use this photo")
SKIP_PHOTO = bi("跳过", "Skip")
STARTING = bi("正在打开摄像头，请稍等", "Starting the camera, please wait")
NO_PICTURE = bi("摄像头没有画面，请稍等，或请工作人员帮忙", "The camera shows no picture. Please wait, or ask staff for help")
LOOK_UP = bi("请看屏幕上方的摄像头 ↑", "Please look at the camera above the screen ↑")
NO_HAT = bi("请摘下帽子和有色眼镜，露出眉毛和耳朵", "Please take off any hat and tinted glasses, so your eyebrows and ears show")
COUNT_WORDS = {3: bi("三", "Three"), 2: bi("二", "Two"), 1: bi("一", "One")}  # spoken
COUNT_SHOWN = {n: bi(str(n), str(n)) for n in COUNT_WORDS}  # shown, large, over the mirror
KEEP_OR_RETAKE = bi("照片拍好了。满意请按“使用这张”，不满意请按“重拍”。", "Here is your photo. Touch “Use this photo”, or “Retake” to try again.")

PREVIEW_FPS = 15
PREVIEW_TIMEOUT_S = 1.0
LIVE, RESULT = "live", "result"


class PreviewPoller:
    """Reads previews on its own thread and hands each, with its pixels, to `deliver`
    on the UI thread. Stopped for good by `stop()`; a new preview needs a new poller."""

    def __init__(
        self, session: PhotoSession, deliver: Callable[["PreviewPoller", Completion, bytes | None], None], *,
        mirror: bool | None = None,
    ) -> None:  # fmt: skip
        """`mirror` None: as a mirror for the resident; False for a document, which must read right."""
        self.session = session
        self._deliver = deliver
        self._mirror = (not session.settings.camera_mirrored) if mirror is None else mirror
        self._cancel = CancelToken()
        self._thread = threading.Thread(target=self._run, name="photo-preview", daemon=True)

    def start(self) -> "PreviewPoller":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._cancel.cancel()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(PREVIEW_TIMEOUT_S + 1)

    @property
    def stopped(self) -> bool:
        return self._cancel.cancelled

    def _run(self) -> None:
        interval = 1 / PREVIEW_FPS
        while not self._cancel.cancelled:
            started = time.monotonic()
            try:
                got = self.session.preview(PREVIEW_TIMEOUT_S, self._cancel)
                pixels = texture_pixels(got.value.frame.image, self._mirror) if got.ok else None
            except Exception:  # a bug in a check must not freeze the mirror silently
                log.exception("photo preview failed")
                got, pixels = Completion.failure(ResultCode.DEVICE_ERROR, "preview failed"), None
            if self._cancel.cancelled:
                return
            Clock.schedule_once(lambda _dt, g=got, p=pixels: self._deliver(self, g, p))
            self._cancel.wait(max(0.0, interval - (time.monotonic() - started)))


class PhotoScreen(StepScreen):
    screen_name = "photo"
    optional = BooleanProperty(False)
    stage = StringProperty(LIVE)
    guidance = ObjectProperty(STARTING)
    ready = BooleanProperty(False)  # the newest preview passes every check: it may be taken
    has_picture = BooleanProperty(False)
    count = NumericProperty(0)  # 3, 2, 1 while the photo counts down to taking itself; 0 otherwise

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: PhotoSession | None = None
        self.attempt: Attempt | None = None
        self.previews_shown = 0
        self._latest: Preview | None = None
        self._poller: PreviewPoller | None = None
        self._live_texture: Texture | None = None
        self._shutter: AutoShutter | None = None
        self.buttons = {
            "back": StepButton(phrase=STEP_BACK, primary=False, on_release=lambda _b: self.go_back()),
            "skip": StepButton(phrase=SKIP_PHOTO, primary=False, on_release=lambda _b: self.answer(SKIP)),
            "take": StepButton(phrase=TAKE_PHOTO, on_release=lambda _b: self.take()),
            "retake": StepButton(phrase=RETAKE, primary=False, on_release=lambda _b: self.retake()),
            "use": StepButton(phrase=USE_PHOTO, on_release=lambda _b: self.use()),
        }
        self.fbind("ready", self._arrange)
        self.fbind("stage", self._arrange)
        self.fbind("optional", self._arrange)

    def prepare(self, title: Bilingual, session: PhotoSession, optional: bool = False) -> None:
        self.forget()
        self.title, self.session, self.optional = title, session, optional
        self._go_live()
        self._arrange()  # the buttons, even before the first picture passes (or if none ever does)

    # --- the two stages --------------------------------------------------------------

    def _arrange(self, *_args) -> None:
        if self.stage == LIVE:
            names = ["back", "skip", "take"] if self.optional else ["back", "take"]
        else:
            names = ["back", "retake", "use"]
        row = self.ids.buttons
        row.clear_widgets()
        for name in names:
            row.add_widget(self.buttons[name])
        self.buttons["take"].disabled = not self.ready

    def _go_live(self) -> None:
        self.attempt, self._latest, self.ready, self.count = None, None, False, 0
        self.guidance, self.stage = STARTING, LIVE
        settings = self.session.settings
        self._shutter = AutoShutter(settings.auto_capture_hold_s, settings.countdown_step_s) if settings.auto_capture else None
        self._show(None)
        self._poller = PreviewPoller(self.session, self._preview_arrived).start()

    def _stop_preview(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.stop()

    def _preview_arrived(self, poller: PreviewPoller, got: Completion, pixels: bytes | None) -> None:
        if poller is not self._poller or self.stage != LIVE:
            return  # from a preview that has since been stopped
        if not got.ok:
            if got.code is not ResultCode.CANCELLED:
                self._latest, self.ready, self.guidance = None, False, NO_PICTURE
                self._show(None)
            return
        preview: Preview = got.value
        height, width = preview.frame.image.shape[:2]
        texture = self._live_texture
        if texture is None or tuple(texture.size) != (width, height):
            texture = self._live_texture = Texture.create(size=(width, height), colorfmt="rgb")
        texture.blit_buffer(pixels, colorfmt="rgb", bufferfmt="ubyte")
        self._show(texture)
        self._latest = preview
        if preview.check.face is not None:
            self.dispatch("on_presence")
        self.guidance = preview.check.guidance
        self.ready = bool(preview.check.passed)
        self.previews_shown += 1
        self._run_shutter()

    def _run_shutter(self) -> None:
        """Green for the hold time, then 3-2-1 aloud, then the photo; a frame that does not
        pass (the resident moved) starts it over."""
        if self._shutter is None:
            return
        reading = self._shutter.update(self.ready, time.monotonic())
        self.count = reading.count or 0
        if not reading.changed:
            return
        if reading.phase is ShutterPhase.COUNTING:
            self._say(*([self.guidance] if reading.count == self._shutter.count_from else []), COUNT_WORDS[reading.count])
        elif reading.phase is ShutterPhase.TAKE:
            self.take()

    @staticmethod
    def _say(*phrases: Bilingual) -> None:
        voice = getattr(App.get_running_app(), "voice", None)
        if voice is not None:
            voice.say(phrases)

    def _show(self, texture: Texture | None) -> None:
        image = self.ids.picture
        image.texture = texture
        self.has_picture = texture is not None
        image.canvas.ask_update()

    # --- what the resident does ------------------------------------------------------

    def take(self) -> None:
        if self.stage != LIVE or not self.ready or self._latest is None:
            return
        attempt = self.session.accept(self._latest)
        if not attempt.passed:  # cannot happen for a passing preview; say why if it does
            self.ready, self.guidance = False, attempt.check.guidance
            return
        self._stop_preview()
        self.attempt, self.count = attempt, 0
        self._show(jpeg_texture(attempt.photo_jpeg))
        self.guidance, self.stage = KEEP_OR_RETAKE, RESULT
        self._say(KEEP_OR_RETAKE)

    def retake(self) -> None:
        if self.stage == RESULT:
            self._go_live()

    def use(self) -> None:
        if self.stage == RESULT and self.attempt is not None:
            self.answer(self.attempt)

    def answer(self, value) -> bool:
        self._stop_preview()  # whatever the answer, the flow moves on: no more frames
        return super().answer(value)

    def forget(self) -> None:
        self._stop_preview()
        self.attempt, self._latest, self.ready, self.count = None, None, False, 0
        self._live_texture = None
        if "picture" in self.ids:
            self._show(None)

    @property
    def previewing(self) -> bool:
        return self._poller is not None and not self._poller.stopped
