#!/usr/bin/env python3
"""The portal's icons and link-preview card, drawn once and committed in static/.

Run again only to change them: python3 scripts/brand-images.py (needs Pillow and a CJK
font, e.g. Debian's fonts-wqy-microhei). Colours are app.css's: --brand and --bg.
"""
import pathlib

from PIL import Image, ImageDraw, ImageFont

BRAND = (0xB3, 0x26, 0x1E)
BG = (0xF6, 0xF7, 0xF9)
INK = (0x1C, 0x24, 0x30)
MUTED = (0x5A, 0x65, 0x73)
WHITE = (0xFF, 0xFF, 0xFF)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"


def font(size):
    return ImageFont.truetype(FONT, size)


def centred(draw, box, text, size, fill):
    f = font(size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=f)
    x = box[0] + (box[2] - box[0] - (right - left)) / 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=f, fill=fill)


def save(img, name):
    # A few colours are enough for flat shapes and anti-aliased text.
    method = Image.Quantize.FASTOCTREE if img.mode == "RGBA" else Image.Quantize.MEDIANCUT
    img.quantize(colors=32, method=method).save(STATIC / name, optimize=True)


def icon(size, maskable, rounded):
    """学 in white on the brand's red; a maskable icon keeps it inside the central safe zone."""
    scale = 4
    big = size * scale
    # A rounded icon's corners are transparent; a full-bleed one is shaped by the phone.
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0) if rounded else BRAND + (255,))
    draw = ImageDraw.Draw(img)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BRAND)
    glyph = int(big * (0.48 if maskable else 0.62))
    centred(draw, (0, 0, big, big), "学", glyph, WHITE)
    img = img.resize((size, size), Image.LANCZOS)
    return img if rounded else img.convert("RGB")


def card():
    """The link preview: 1200×630, the name and what the portal is for."""
    w, h = 1200, 630
    img = Image.new("RGB", (w, h), BG)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 420, h), fill=BRAND)
    centred(draw, (0, 0, 420, h), "学", 260, WHITE)
    draw.text((480, 170), "学生会门户", font=font(96), fill=INK)
    draw.text((484, 320), "权益投诉 · 失物招领 · 接待日", font=font(44), fill=INK)
    draw.text((484, 386), "活动报名 · 宿舍检查 · 部门计划", font=font(44), fill=INK)
    draw.text((484, 500), "Student Union Portal", font=font(36), fill=MUTED)
    return img


save(icon(192, maskable=False, rounded=True), "icon-192.png")
save(icon(512, maskable=False, rounded=True), "icon-512.png")
save(icon(512, maskable=True, rounded=False), "icon-maskable-512.png")
save(icon(180, maskable=False, rounded=False), "apple-touch-icon.png")
save(card(), "og.png")
