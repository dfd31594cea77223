"""Photograph a paper document (the employer's letter, 单位介绍信): the camera's live picture,
not mirrored so the page reads right, and one "Take photo" button. No face checks: the flow
captures the frame the moment the button is touched.

Frames come from the photo screen's `PreviewPoller` on its own thread, as there; the
picture is dropped from the screen when it is left.
"""

from __future__ import annotations

from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, ObjectProperty

from kiosk.drivers.status import Completion
from kiosk.i18n import Bilingual
from kiosk.photo.session import PhotoSession
from kiosk.screens.parts import StepScreen
from kiosk.screens.photo import NO_PICTURE, STARTING, TAKE_PHOTO, PreviewPoller

TAKE = "take"


class DocumentPhotoScreen(StepScreen):
    screen_name = "document_photo"
    body = ObjectProperty(None, allownone=True)
    status = ObjectProperty(STARTING)
    has_picture = BooleanProperty(False)
    take_label = TAKE_PHOTO

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._poller: PreviewPoller | None = None
        self._texture: Texture | None = None

    def prepare(self, title: Bilingual, body: Bilingual, session: PhotoSession) -> None:
        self.forget()
        self.title, self.body, self.status = title, body, STARTING
        self._poller = PreviewPoller(session, self._arrived, mirror=False).start()

    def _arrived(self, poller: PreviewPoller, got: Completion, pixels: bytes | None) -> None:
        if poller is not self._poller:
            return
        if not got.ok or pixels is None:
            self.status, self.has_picture = NO_PICTURE, False
            return
        height, width = got.value.frame.image.shape[:2]
        if self._texture is None or tuple(self._texture.size) != (width, height):
            self._texture = Texture.create(size=(width, height), colorfmt="rgb")
        self._texture.blit_buffer(pixels, colorfmt="rgb", bufferfmt="ubyte")
        self.ids.picture.texture = self._texture
        self.ids.picture.canvas.ask_update()
        self.status, self.has_picture = self.body, True

    def take(self) -> None:
        if self.has_picture:
            self.answer(TAKE)

    def answer(self, value) -> bool:
        self._stop()
        return super().answer(value)

    def _stop(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.stop()

    def forget(self) -> None:
        self._stop()
        self._texture = None
        self.has_picture = False
        if "picture" in self.ids:
            self.ids.picture.texture = None
