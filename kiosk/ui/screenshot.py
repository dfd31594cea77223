"""Screenshots of exactly the frame the resident sees.

The pixels are read in the window's `on_flip` handler, after Kivy has drawn the frame and
before the buffers swap: reading after the swap (what `Window.screenshot` does) returns
whatever the driver left in the back buffer.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from kivy.core.window import Window
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
from PIL import Image


async def capture(path: Path) -> Path:
    """Draw the next frame and save it as a PNG at `path`."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future = loop.create_future()

    def grab(window, *_args):
        width, height = window.size
        data = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
        if not done.done():
            done.set_result((width, height, data))
        return None  # let the default handler swap the buffers

    Window.bind(on_flip=grab)
    try:
        Window.canvas.ask_update()
        width, height, data = await asyncio.wait_for(done, timeout=10)
    finally:
        Window.unbind(on_flip=grab)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.frombytes("RGBA", (width, height), data).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    image.convert("RGB").save(path)
    return path
