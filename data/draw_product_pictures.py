"""Draw the demo store's product pictures (data/images/*.png) with Pillow.

Run once, from the repository root: `.venv/bin/python data/draw_product_pictures.py`. The pictures
are flat illustrations drawn from shapes (no photographs, nothing licensed), one per product of
data/seed.json, 600 x 600 pixels. The seed copies them into the storage (catalog.media).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 600
OUT = Path(__file__).resolve().parent / "images"
INK = (40, 44, 52)


def _canvas(background: tuple[int, int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 470, 510, 540), fill=tuple(max(c - 25, 0) for c in background))  # shadow
    return image, draw


def backpack(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((170, 110, 430, 500), 60, fill=color, outline=INK, width=6)
    draw.rounded_rectangle((210, 300, 390, 460), 30, fill=_shade(color), outline=INK, width=5)
    draw.arc((230, 60, 370, 170), 180, 360, fill=INK, width=10)
    draw.line((300, 110, 300, 290), fill=INK, width=4)


def jacket(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    body = [(200, 130), (400, 130), (470, 200), (440, 480), (160, 480), (130, 200)]
    draw.polygon(body, fill=color, outline=INK, width=6)
    draw.polygon([(130, 200), (60, 420), (110, 440), (170, 260)], fill=color, outline=INK, width=6)
    draw.polygon([(470, 200), (540, 420), (490, 440), (430, 260)], fill=color, outline=INK, width=6)
    draw.line((300, 140, 300, 480), fill=INK, width=5)
    for y in range(190, 470, 70):
        draw.line((150, y, 450, y), fill=_shade(color), width=4)


def socks(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    for dx, tint in ((-70, color), (40, _shade(color)), (150, color)):
        draw.polygon(
            [
                (150 + dx, 120),
                (230 + dx, 120),
                (230 + dx, 380),
                (300 + dx, 440),
                (260 + dx, 490),
                (150 + dx, 420),
            ],
            fill=tint,
            outline=INK,
            width=5,
        )
        draw.rectangle((150 + dx, 120, 230 + dx, 160), fill=(235, 235, 225), outline=INK, width=4)


def poles(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    for x in (250, 350):
        draw.line((x - 30, 90, x + 30, 500), fill=(170, 175, 180), width=14)
        draw.rounded_rectangle((x - 52, 80, x - 8, 200), 14, fill=color, outline=INK, width=4)
        draw.ellipse((x + 5, 400, x + 55, 430), outline=INK, width=5)


def headlamp(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.ellipse((110, 170, 490, 430), outline=color, width=34)
    draw.rounded_rectangle((220, 220, 380, 360), 30, fill=INK)
    draw.ellipse((255, 245, 345, 335), fill=(255, 236, 150), outline=(250, 250, 250), width=6)


def mug(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.ellipse((370, 230, 490, 380), outline=color, width=26)
    draw.rounded_rectangle((150, 170, 410, 480), 30, fill=color, outline=INK, width=6)
    draw.ellipse((150, 150, 410, 200), fill=_shade(color), outline=INK, width=6)
    draw.line((150, 440, 410, 440), fill=INK, width=3)


def pot(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rectangle((150, 220, 450, 470), fill=color, outline=INK, width=6)
    draw.ellipse((140, 190, 460, 250), fill=_shade(color), outline=INK, width=6)
    draw.rounded_rectangle((270, 160, 330, 200), 10, fill=INK)
    draw.line((60, 240, 150, 240), fill=INK, width=12)


def coffee(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.polygon([(140, 170), (320, 170), (260, 300), (200, 300)], fill=color, outline=INK, width=6)
    draw.rounded_rectangle((150, 300, 310, 480), 20, fill=(240, 240, 235), outline=INK, width=6)
    draw.rounded_rectangle((360, 200, 470, 480), 20, fill=_shade(color), outline=INK, width=6)
    draw.line((415, 200, 415, 130), fill=INK, width=8)
    draw.line((395, 130, 460, 110), fill=INK, width=8)


def stove(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((90, 260, 510, 440), 24, fill=color, outline=INK, width=6)
    for x in (200, 400):
        draw.ellipse((x - 70, 200, x + 70, 260), fill=INK)
        for flame in range(-40, 50, 20):
            draw.polygon(
                [(x + flame - 8, 200), (x + flame + 8, 200), (x + flame, 160)], fill=(80, 140, 255)
            )
    draw.ellipse((130, 360, 170, 400), fill=INK)
    draw.ellipse((430, 360, 470, 400), fill=INK)


def bottle(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((220, 170, 380, 500), 50, fill=color, outline=INK, width=6)
    draw.rounded_rectangle((250, 100, 350, 180), 16, fill=INK)
    draw.rectangle((220, 300, 380, 360), fill=_shade(color))


def case(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rectangle((90, 260, 510, 480), fill=(190, 150, 100), outline=INK, width=6)
    for x in range(120, 500, 80):
        draw.rounded_rectangle((x, 130, x + 55, 300), 18, fill=color, outline=INK, width=4)
        draw.rectangle((x + 15, 105, x + 40, 135), fill=INK)
    draw.line((90, 330, 510, 330), fill=INK, width=4)


def trail_mix(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.polygon([(170, 140), (430, 140), (460, 480), (140, 480)], fill=color, outline=INK, width=6)
    draw.rectangle((170, 120, 430, 160), fill=_shade(color), outline=INK, width=5)
    nuts = [(230, 260), (300, 300), (370, 250), (260, 370), (340, 390), (210, 430), (390, 430)]
    for x, y in nuts:
        draw.ellipse((x - 22, y - 15, x + 22, y + 15), fill=(150, 95, 45), outline=INK, width=3)


def tent(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.polygon([(300, 110), (530, 470), (70, 470)], fill=color, outline=INK, width=6)
    draw.polygon([(300, 200), (380, 470), (220, 470)], fill=_shade(color), outline=INK, width=5)
    draw.line((300, 80, 300, 120), fill=INK, width=6)


def tote(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.arc((200, 80, 400, 300), 180, 360, fill=INK, width=14)
    draw.polygon([(160, 190), (440, 190), (470, 490), (130, 490)], fill=color, outline=INK, width=6)
    draw.ellipse((255, 300, 345, 390), outline=INK, width=6)
    draw.polygon([(300, 315), (325, 370), (275, 370)], fill=INK)


def beanie(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.pieslice((140, 150, 460, 470), 180, 360, fill=color, outline=INK, width=6)
    draw.rounded_rectangle((130, 300, 470, 400), 20, fill=_shade(color), outline=INK, width=6)
    for x in range(160, 460, 30):
        draw.line((x, 310, x, 390), fill=color, width=6)
    draw.ellipse((260, 90, 340, 170), fill=_shade(color), outline=INK, width=5)


def sleeping_bag(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((170, 80, 430, 500), 120, fill=color, outline=INK, width=6)
    draw.ellipse((220, 110, 380, 230), fill=_shade(color), outline=INK, width=5)
    for y in range(270, 480, 50):
        draw.line((185, y, 415, y), fill=_shade(color), width=5)
    draw.line((400, 230, 400, 470), fill=INK, width=4)


def lantern(draw: ImageDraw.ImageDraw, color: tuple[int, int, int]) -> None:
    draw.arc((230, 60, 370, 180), 180, 360, fill=INK, width=10)
    draw.rectangle((200, 120, 400, 170), fill=color, outline=INK, width=5)
    draw.rectangle((220, 170, 380, 420), fill=(255, 240, 170), outline=INK, width=6)
    draw.rectangle((200, 420, 400, 470), fill=color, outline=INK, width=5)
    draw.rectangle((230, 130, 370, 160), fill=(70, 90, 140))


def _shade(color: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(int(c * 0.78) for c in color)  # type: ignore[return-value]


# handle -> (drawing, its colour, the background)
PICTURES: dict[str, tuple[Callable[..., None], tuple[int, int, int], tuple[int, int, int]]] = {
    "ridgeline-trail-backpack-28l": (backpack, (96, 128, 72), (226, 232, 214)),
    "summit-down-jacket": (jacket, (44, 58, 84), (216, 228, 240)),
    "merino-crew-socks-3-pack": (socks, (120, 128, 140), (240, 232, 220)),
    "ultralight-trekking-poles": (poles, (200, 80, 50), (228, 236, 232)),
    "headlamp-400": (headlamp, (230, 120, 40), (34, 40, 58)),
    "enamel-camp-mug": (mug, (236, 228, 205), (120, 150, 130)),
    "titanium-pot-900": (pot, (176, 180, 190), (244, 226, 200)),
    "pour-over-coffee-kit": (coffee, (170, 120, 80), (236, 224, 210)),
    "camp-stove-duo": (stove, (190, 60, 50), (230, 232, 236)),
    "insulated-water-bottle-750": (bottle, (120, 170, 200), (238, 240, 230)),
    "branded-water-bottles-case-50": (case, (70, 120, 170), (230, 236, 240)),
    "trail-mix-bulk-case-24": (trail_mix, (220, 180, 90), (240, 236, 225)),
    "rental-fleet-tent-4p-pack-5": (tent, (110, 120, 70), (214, 230, 240)),
    "canvas-tote-bag": (tote, (226, 214, 184), (90, 110, 100)),
    "wool-beanie": (beanie, (200, 160, 40), (228, 226, 236)),
    "last-season-rain-jacket": (jacket, (230, 190, 40), (200, 210, 220)),
    "sample-sale-sleeping-bag": (sleeping_bag, (60, 110, 150), (236, 230, 216)),
    "solar-lantern": (lantern, (60, 70, 80), (240, 236, 214)),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for handle, (drawing, color, background) in PICTURES.items():
        image, draw = _canvas(background)
        drawing(draw, color)
        image = image.quantize(colors=64)  # flat colours: small files
        image.save(OUT / f"{handle}.png", optimize=True)


if __name__ == "__main__":
    main()
