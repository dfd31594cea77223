"""Drawing what the simulated printer put on paper: glyph cells, raster images, QR modules.

The printer's geometry is kept: 576 dots across 80 mm paper, font A cells of 12x24 dots,
Chinese cells of 24x24, font B 9x17, magnified by `GS !` / `ESC !`. Glyphs come from
WenQuanYi Micro Hei Mono, the font Debian ships for Chinese (`fonts-wqy-microhei`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
MONO_FACE = 1  # "WenQuanYi Micro Hei Mono": Latin half width, Han full width
MARGIN = 24  # grey table around the paper in the PNG
PAPER_EDGE = 32  # 80 mm paper is 4 mm wider than the 72 mm print area on each side
PAPER_GREY = 200

QR_EC = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
         "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


@dataclass(frozen=True)
class Style:
    font_b: bool = False
    bold: bool = False
    underline: int = 0
    width: int = 1  # magnification, 1..8
    height: int = 1
    invert: bool = False


@dataclass(frozen=True)
class Glyph:
    char: str
    wide: bool
    style: Style

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in dots on paper."""
        if self.wide:
            w, h = 24, 24
        elif self.style.font_b:
            w, h = 9, 17
        else:
            w, h = 12, 24
        return w * self.style.width, h * self.style.height


@dataclass
class TextLine:
    glyphs: list[Glyph]
    align: int  # 0 left, 1 centre, 2 right
    height: int  # dots fed for this line (at least the line spacing)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def width(self) -> int:
        return sum(g.size[0] for g in self.glyphs)


@dataclass
class Bitmap:
    image: Image.Image  # mode "1", already magnified, black = printed
    align: int

    @property
    def height(self) -> int:
        return self.image.height


@dataclass
class Feed:
    height: int


@dataclass
class Mark:
    """Not printed: a note drawn on the PNG for the person looking at it (cut, paper ran out)."""

    kind: str  # "cut" or "stopped"
    label: str = ""
    height: int = field(default=0)


Block = TextLine | Bitmap | Feed | Mark


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=MONO_FACE)


@lru_cache(maxsize=4096)
def _glyph_image(glyph: Glyph) -> Image.Image:
    """The glyph's cell as an "L" image (255 = ink), magnified like the printer does."""
    style = glyph.style
    base_w, base_h = glyph.size[0] // style.width, glyph.size[1] // style.height
    cell = Image.new("L", (base_w, base_h), 0)
    draw = ImageDraw.Draw(cell)
    size = 24 if glyph.wide else (15 if style.font_b else 20)
    baseline = base_h - (4 if base_h >= 24 else 3)
    draw.text((0, baseline), glyph.char, fill=255, font=_font(size), anchor="ls")
    if style.bold:
        draw.text((1, baseline), glyph.char, fill=255, font=_font(size), anchor="ls")
    if style.underline:
        draw.rectangle((0, base_h - style.underline, base_w - 1, base_h - 1), fill=255)
    if style.invert:
        cell = Image.eval(cell, lambda v: 255 - v)
    if style.width != 1 or style.height != 1:
        cell = cell.resize((base_w * style.width, base_h * style.height), Image.NEAREST)
    return cell


def qr_image(content: bytes, module: int, ec: str) -> Image.Image:
    """The symbol as a printer draws it: `module` dots per module, no quiet zone of its own."""
    code = qrcode.QRCode(version=None, error_correction=QR_EC[ec], box_size=module, border=0)
    code.add_data(content)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix) * module
    img = Image.new("1", (size, size), 0)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((x * module, y * module, (x + 1) * module - 1, (y + 1) * module - 1), fill=1)
    return img


def raster_image(width_bytes: int, height: int, data: bytes, mode: int) -> Image.Image:
    """`GS v 0` data (MSB first, 1 = black) as an image, magnified by the mode bits."""
    img = Image.frombytes("1", (width_bytes * 8, height), data)
    if mode & 1 or mode & 2:
        img = img.resize((img.width * (2 if mode & 1 else 1), img.height * (2 if mode & 2 else 1)), Image.NEAREST)
    return img


def _x_for(align: int, width: int, paper: int) -> int:
    if align == 1:
        return max(0, (paper - width) // 2)
    if align == 2:
        return max(0, paper - width)
    return 0


def render(blocks: list[Block], paper_dots: int) -> Image.Image:
    """The paper strip with `blocks` printed on it, on a grey table so its edges show."""
    height = sum(b.height for b in blocks) + 16
    ink = Image.new("L", (paper_dots, max(height, 32)), 0)  # 255 = ink
    notes: list[tuple[int, Mark]] = []
    y = 8
    for block in blocks:
        if isinstance(block, TextLine):
            x = _x_for(block.align, block.width, paper_dots)
            line_h = max((g.size[1] for g in block.glyphs), default=0)
            top = y + block.height - line_h
            for glyph in block.glyphs:
                cell = _glyph_image(glyph)
                if x + cell.width > paper_dots:
                    break
                ink.paste(255, (x, top + line_h - cell.height), cell)
                x += cell.width
        elif isinstance(block, Bitmap):
            img = block.image.crop((0, 0, min(block.image.width, paper_dots), block.image.height))
            ink.paste(255, (_x_for(block.align, img.width, paper_dots), y), img.convert("L").point(lambda v: 255 if v else 0))
        elif isinstance(block, Mark):
            notes.append((y, block))
        y += block.height
    paper = Image.eval(ink, lambda v: 255 - v)
    left = MARGIN + PAPER_EDGE
    canvas = Image.new("RGB", (paper_dots + 2 * left, paper.height + 2 * MARGIN), (PAPER_GREY,) * 3)
    canvas.paste((255, 255, 255), (MARGIN, MARGIN, left + paper_dots + PAPER_EDGE, MARGIN + paper.height))
    canvas.paste(paper.convert("RGB"), (left, MARGIN))
    draw = ImageDraw.Draw(canvas)
    for y, mark in notes:
        yy = MARGIN + y
        if mark.kind == "cut":
            for x in range(0, canvas.width, 12):
                draw.line((x, yy, x + 6, yy), fill=(90, 90, 90), width=2)
            draw.text((4, yy - 18), "cut 切纸", fill=(90, 90, 90), font=_font(14))
        else:
            draw.rectangle((left, yy, left + paper_dots - 1, yy + 40), fill=(255, 225, 225))
            draw.text((left + 8, yy + 8), mark.label, fill=(200, 0, 0), font=_font(20))
    return canvas
