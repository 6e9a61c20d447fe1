"""Draw the guidance illustrations (assets/guidance/*.png): flat pictograms, so no licences and no fonts.

    python scripts/guidance_art.py   # rewrites the PNGs; the content (domain/data/guidance.json) names them
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "assets" / "guidance"
SIZE, S = 240, 4  # drawn 4x larger, then scaled down for smooth edges
TEAL, RED, AMBER, WHITE, INK = "#00695C", "#B3261E", "#F9A825", "#FFFFFF", "#263238"


def canvas(bg: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGBA", (SIZE * S, SIZE * S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([0, 0, SIZE * S - 1, SIZE * S - 1], fill=bg)
    return img, d


def box(*xy: float) -> list[float]:
    return [v * S for v in xy]


def cross(d, cx, cy, r, colour=RED, width=14):
    d.line(box(cx - r, cy - r, cx + r, cy + r), fill=colour, width=width * S)
    d.line(box(cx - r, cy + r, cx + r, cy - r), fill=colour, width=width * S)


def phone(d, x, y, w=80, h=140, fill=INK):
    d.rounded_rectangle(box(x, y, x + w, y + h), radius=12 * S, fill=fill)
    d.rounded_rectangle(box(x + 8, y + 16, x + w - 8, y + h - 20), radius=4 * S, fill=WHITE)


def teacher(d):
    d.ellipse(box(85, 45, 155, 115), fill=WHITE)
    d.pieslice(box(55, 115, 185, 245), 180, 360, fill=WHITE)
    d.rounded_rectangle(box(140, 120, 205, 165), radius=8 * S, fill=AMBER)
    cross(d, 172, 142, 12, RED, 6)


def refund(d):
    phone(d, 80, 50)
    d.ellipse(box(100, 90, 140, 130), fill=AMBER)
    cross(d, 175, 70, 18, RED, 8)


def emergency(d):
    d.rounded_rectangle(box(60, 60, 180, 180), radius=16 * S, fill=WHITE)
    d.rectangle(box(108, 80, 132, 160), fill=RED)
    d.rectangle(box(80, 108, 160, 132), fill=RED)


def fake_app(d):
    phone(d, 80, 50)
    for i in range(2):
        for j in range(3):
            d.rounded_rectangle(box(96 + i * 28, 76 + j * 32, 116 + i * 28, 96 + j * 32), radius=4 * S, fill=TEAL)
    d.polygon(box(150, 150, 200, 150, 175, 105), fill=AMBER)
    d.line(box(175, 120, 175, 137), fill=INK, width=6 * S)


def qr(d):
    d.rectangle(box(60, 60, 180, 180), fill=WHITE)
    for x, y in ((70, 70), (140, 70), (70, 140)):
        d.rectangle(box(x, y, x + 30, y + 30), fill=INK)
        d.rectangle(box(x + 8, y + 8, x + 22, y + 22), fill=WHITE)
    for x, y in ((115, 115), (140, 140), (155, 118), (118, 150)):
        d.rectangle(box(x, y, x + 14, y + 14), fill=INK)
    d.polygon(box(120, 120, 200, 110, 190, 190, 110, 200), fill=AMBER)
    cross(d, 155, 155, 20, RED, 8)


def sms(d):
    d.rounded_rectangle(box(45, 70, 195, 160), radius=16 * S, fill=WHITE)
    d.polygon(box(70, 155, 100, 155, 65, 190), fill=WHITE)
    for n in range(3):
        d.line(box(65, 95 + n * 22, 175 - n * 30, 95 + n * 22), fill=TEAL, width=8 * S)
    d.arc(box(140, 120, 175, 150), 0, 360, fill=RED, width=6 * S)


def otp(d):
    d.rounded_rectangle(box(50, 80, 190, 150), radius=12 * S, fill=WHITE)
    for n in range(4):
        d.ellipse(box(66 + n * 32, 103, 86 + n * 32, 123), fill=INK)
    d.rounded_rectangle(box(95, 150, 145, 195), radius=6 * S, fill=AMBER)
    d.arc(box(100, 125, 140, 170), 180, 360, fill=AMBER, width=8 * S)


def help_(d):
    phone(d, 80, 50, fill=WHITE)
    d.rounded_rectangle(box(88, 66, 152, 170), radius=4 * S, fill=TEAL)
    d.line(box(100, 118, 115, 135, 142, 95), fill=WHITE, width=10 * S, joint="curve")


def checklist(d):
    d.rounded_rectangle(box(65, 45, 175, 195), radius=10 * S, fill=WHITE)
    for n in range(3):
        y = 70 + n * 40
        d.line(box(80, y + 10, 90, y + 20, 106, y), fill=TEAL, width=6 * S)
        d.line(box(115, y + 10, 160, y + 10), fill=INK, width=6 * S)


ART = {"teacher": (TEAL, teacher), "refund": (TEAL, refund), "emergency": (RED, emergency),
       "fake-app": (TEAL, fake_app), "qr": (TEAL, qr), "sms": (TEAL, sms), "otp": (TEAL, otp),
       "help": (RED, help_), "checklist": (TEAL, checklist)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (bg, draw) in ART.items():
        img, d = canvas(bg)
        draw(d)
        img.resize((SIZE, SIZE), Image.LANCZOS).save(OUT / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
