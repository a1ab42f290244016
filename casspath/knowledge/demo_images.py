"""The demo guides' images, drawn with Pillow at demo time, deterministically: mock
screenshots of the operator's systems and mock photos of the paper forms, with Chinese labels
in Noto Sans CJK (Debian's fonts-noto-cjk, the font the PDFs use). Nothing is downloaded."""

import io
import random
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from casspath.knowledge.demo_guides import Photo, Shot

FONT_DIR = "/usr/share/fonts/opentype/noto/"
SC_INDEX = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)
WIDTH, HEIGHT = 800, 500


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False, serif: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = f"Noto{'Serif' if serif else 'Sans'}CJK-{'Bold' if bold else 'Regular'}.ttc"
    try:
        return ImageFont.truetype(FONT_DIR + name, size, index=SC_INDEX)
    except OSError:  # no CJK font installed: still an image, with boxes for characters
        return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


BLUE, DARK, GREY, LINE, RED = (22, 93, 170), (31, 41, 51), (96, 108, 122), (208, 215, 222), (214, 48, 49)


def _fit(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> str:
    """`text` cut with "…" to fit `width` pixels, as a system's input box shows it."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def screenshot(
    system: str,
    screen: str,
    fields: list[tuple[str, str]],
    *,
    highlight: int | None = None,
    button: str = "提交",
    menu: list[str] | None = None,
    active: int = 2,
) -> bytes:
    """A system's form: title bar, left menu, breadcrumb, labelled fields with their values,
    the field to look at outlined in red with a numbered callout, and the action button."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 44), fill=BLUE)
    draw.text((16, 9), system, font=font(19, bold=True), fill="white")
    draw.text((WIDTH - 170, 13), "客户经理 · 退出", font=font(14), fill=(220, 232, 245))
    draw.rectangle((0, 44, 150, HEIGHT), fill=(35, 49, 66))
    for row, entry in enumerate(menu or ["工作台", "客户管理", "业务受理", "工单查询", "统计报表"]):
        y = 62 + row * 38
        if row == active:
            draw.rectangle((0, y - 8, 150, y + 26), fill=BLUE)
        draw.text((18, y), entry, font=font(15), fill="white")
    draw.text((170, 58), f"首页 / 业务受理 / {screen}", font=font(13), fill=GREY)
    draw.rectangle((166, 84, WIDTH - 16, HEIGHT - 16), fill="white", outline=LINE)
    draw.text((186, 98), screen, font=font(18, bold=True), fill=DARK)
    draw.line((186, 128, WIDTH - 36, 128), fill=LINE)
    columns = 2 if len(fields) > 5 else 1
    per_column = -(-len(fields) // columns)
    column_width = (WIDTH - 16 - 186 - 20) // columns
    for index, (label, value) in enumerate(fields):
        column, row = divmod(index, per_column)
        x, y = 186 + column * column_width, 146 + row * 48
        draw.text((x, y + 6), label, font=font(14), fill=GREY)
        box = (x + 96, y, x + column_width - 16, y + 32)
        draw.rectangle(box, fill=(250, 251, 252), outline=LINE)
        draw.text(
            (box[0] + 8, y + 6), _fit(draw, value, font(14), box[2] - box[0] - 14), font=font(14), fill=DARK
        )
        if index == highlight:
            draw.rectangle((box[0] - 4, box[1] - 4, box[2] + 4, box[3] + 4), outline=RED, width=3)
            draw.ellipse((box[2] - 8, box[1] - 16, box[2] + 16, box[1] + 8), fill=RED)
            draw.text((box[2] - 0, box[1] - 14), "1", font=font(14, bold=True), fill="white")
    bx, by = WIDTH - 140, HEIGHT - 64
    draw.rounded_rectangle((bx, by, bx + 104, by + 34), radius=5, fill=BLUE)
    draw.text((bx + 52, by + 17), button, font=font(15, bold=True), fill="white", anchor="mm")
    draw.rounded_rectangle((bx - 116, by, bx - 12, by + 34), radius=5, outline=LINE, fill="white")
    draw.text((bx - 64, by + 17), "暂存", font=font(15), fill=DARK, anchor="mm")
    return _png(image)


def form_photo(
    title: str, rows: list[tuple[str, str]], *, rng: random.Random, stamp: str = "", ticks: bool = False
) -> bytes:
    """A photo of a paper form on a desk: a slightly turned, softly shadowed sheet with its
    printed grid, handwritten-looking entries (serif, dark blue), and a red stamp."""
    sheet_w, sheet_h = 560, 130 + 52 * len(rows) + (90 if stamp else 30)
    sheet = Image.new("RGB", (sheet_w, sheet_h), (252, 250, 243))
    draw = ImageDraw.Draw(sheet)
    draw.text((sheet_w // 2, 44), title, font=font(24, bold=True, serif=True), fill=(30, 30, 30), anchor="mm")
    draw.text(
        (sheet_w - 40, 84),
        f"编号：No.{rng.randint(100000, 999999)}",
        font=font(12, serif=True),
        fill=(80, 80, 80),
        anchor="rm",
    )
    top = 100
    for index, (label, value) in enumerate(rows):
        y = top + index * 52
        draw.rectangle((36, y, sheet_w - 36, y + 52), outline=(60, 60, 60), width=1)
        draw.line((170, y, 170, y + 52), fill=(60, 60, 60))
        draw.text((48, y + 16), label, font=font(15, serif=True), fill=(40, 40, 40))
        if ticks and value in ("是", "否"):
            for offset, choice in ((186, "是"), (262, "否")):
                draw.rectangle((offset, y + 17, offset + 16, y + 33), outline=(40, 40, 40), width=1)
                draw.text((offset + 24, y + 13), choice, font=font(16, serif=True), fill=(40, 40, 40))
                if choice == value:  # a hand-drawn tick
                    draw.line(
                        (offset + 2, y + 24, offset + 7, y + 31, offset + 20, y + 12),
                        fill=(25, 45, 120),
                        width=3,
                    )
        else:
            draw.text(
                (184 + rng.randint(0, 6), y + 12 + rng.randint(-2, 2)),
                value,
                font=font(18, serif=True),
                fill=(25, 45, 120),
            )
    if stamp:
        cx, cy, r = sheet_w - 130, top + 52 * len(rows) + 44, 42
        layer = Image.new("RGBA", sheet.size, (0, 0, 0, 0))
        ink = ImageDraw.Draw(layer)
        ink.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 30, 40, 190), width=4)
        ink.text((cx, cy - 12), "★", font=font(18), fill=(200, 30, 40, 190), anchor="mm")
        ink.text((cx, cy + 14), stamp, font=font(13, bold=True), fill=(200, 30, 40, 190), anchor="mm")
        sheet.paste(layer, (0, 0), layer)
        draw.text((48, cy - 8), "经办人签字：", font=font(15, serif=True), fill=(40, 40, 40))
        draw.text((150, cy - 12), "张伟", font=font(22, serif=True), fill=(25, 45, 120))
    desk = Image.new("RGB", (WIDTH, HEIGHT + 100), (139, 106, 76))
    grain = ImageDraw.Draw(desk)
    for line in range(0, HEIGHT + 100, 7):
        shade = 120 + (line * 37) % 30
        grain.line((0, line, WIDTH, line + rng.randint(-3, 3)), fill=(shade + 15, shade - 10, shade - 40))
    # The sheet turned a little; its mask (where the sheet is) comes from the turned shape.
    turned = sheet.rotate(
        rng.uniform(-4, 4), expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0)
    )
    shadow_mask = turned.convert("L").point(lambda v: 255 if v > 0 else 0)
    scale = min((WIDTH - 60) / turned.width, (HEIGHT + 60) / turned.height, 1.0)
    size = (int(turned.width * scale), int(turned.height * scale))
    turned, shadow_mask = turned.resize(size), shadow_mask.resize(size)
    x, y = (WIDTH - size[0]) // 2, (HEIGHT + 100 - size[1]) // 2
    shadow = Image.new("RGB", size, (60, 45, 30))
    desk.paste(shadow, (x + 8, y + 10), shadow_mask.filter(ImageFilter.GaussianBlur(6)))
    desk.paste(turned, (x, y), shadow_mask)
    return _jpeg(desk)


def image_file(spec: Shot | Photo, rng: random.Random, name: str) -> SimpleUploadedFile:
    if isinstance(spec, Shot):
        data = screenshot(spec.system, spec.screen, spec.fields, highlight=spec.highlight, button=spec.button)
        return SimpleUploadedFile(f"{name}.png", data, content_type="image/png")
    data = form_photo(spec.title, spec.rows, rng=rng, stamp=spec.stamp, ticks=spec.ticks)
    return SimpleUploadedFile(f"{name}.jpg", data, content_type="image/jpeg")
