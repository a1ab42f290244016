"""The demo's micro-videos and audio clips, rendered at demo time from slides: nothing is
downloaded and no media file is kept in the repository.

A clip is a list of slides (a title, then points) drawn with Pillow in Noto Sans CJK (the
font `make install` brings), held a few seconds each, over a soundtrack of soft chords made
with numpy (one chord a slide, faded in and out). It is encoded with PyAV (FFmpeg in its
wheel) as WebM: VP8 video and Opus audio, the codecs every Chromium plays (Debian's may lack
H.264). Rendering is deterministic: one encoder thread, FFmpeg's bit-exact flags, no clock,
so the same slides give the same bytes on one version of the wheel.

`render_video` and `render_audio` return the file's bytes; `probe` reads a file back (its
media type, duration, streams), as the page and the tests see it.
"""

import io
import math
import subprocess  # noqa: S404 (fc-match, a fixed command)
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from casspath.core.demo import DemoError

WIDTH, HEIGHT = 640, 360
FPS = 10
SAMPLE_RATE = 24_000  # Opus takes 24 kHz (a pad of chords needs no more) and plays at 48
KEYFRAME_SECONDS = 2  # a keyframe every 2 s: a phone seeks to within 2 s without decoding much
BACKGROUND = (20, 52, 96)
ACCENT = (240, 170, 40)
INK = (255, 255, 255)
SOFT = (200, 214, 232)
# The chords of the soundtrack, one per slide in turn: C, Am, F, G, Em, in whole hertz, so
# that one second of a chord repeats without a click and is computed once.
CHORDS = [(262, 330, 392), (220, 262, 330), (175, 220, 262), (196, 247, 294), (165, 196, 247)]


@dataclass(frozen=True)
class Slide:
    title: str
    points: tuple[str, ...] = ()
    seconds: float = 6.0


@dataclass(frozen=True)
class Probed:
    media_type: str
    seconds: float
    video: str | None  # codec name
    audio: str | None
    width: int | None
    height: int | None


@cache
def _font_file(style: str) -> tuple[str, int]:
    """Noto Sans CJK SC's file and face index, as fontconfig has it."""
    try:
        found = subprocess.run(  # noqa: S603
            ["fc-match", "-f", "%{file}\n%{index}\n%{family}", f"Noto Sans CJK SC:style={style}"],  # noqa: S607
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        found = []
    if len(found) < 3 or "CJK" not in found[2]:
        raise DemoError("演示视频需要中文字体 Noto Sans CJK：请先运行 make install（安装 fonts-noto-cjk）",
                        "the demo's videos need the Noto Sans CJK font: run make install (fonts-noto-cjk)")
    return found[0], int(found[1] or 0)


@cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path, index = _font_file("Bold" if bold else "Regular")
    return ImageFont.truetype(path, size, index=index)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Chinese text broken into lines no wider than `width` (a line may break anywhere)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return lines + ([line] if line else [])


def draw_slide(slide: Slide, number: int, total: int, label: str) -> Image.Image:
    """One slide: the first is a title page, the others a title and numbered points."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 6), fill=ACCENT)
    small = _font(15, False)
    draw.text((24, HEIGHT - 34), label, font=small, fill=SOFT)
    draw.text((WIDTH - 24, HEIGHT - 34), f"{number}/{total}", font=small, fill=SOFT, anchor="ra")
    if number == 1:
        big = _font(34, True)
        lines = _wrap(draw, slide.title, big, WIDTH - 80)
        top = 120 - 22 * (len(lines) - 1)
        for i, line in enumerate(lines):
            draw.text((WIDTH // 2, top + 48 * i), line, font=big, fill=INK, anchor="ma")
        sub = _font(20, False)
        y = top + 48 * len(lines) + 18
        for point in slide.points:
            for line in _wrap(draw, point, sub, WIDTH - 100):
                draw.text((WIDTH // 2, y), line, font=sub, fill=SOFT, anchor="ma")
                y += 30
        return image
    head = _font(26, True)
    draw.text((28, 26), slide.title, font=head, fill=ACCENT)
    body = _font(20, False)
    y = 84
    for i, point in enumerate(slide.points, 1):
        marker = f"{i}." if len(slide.points) > 1 else "▶"
        draw.text((30, y), marker, font=body, fill=ACCENT)
        for line in _wrap(draw, point, body, WIDTH - 96):
            draw.text((62, y), line, font=body, fill=INK)
            y += 30
        y += 10
    return image


@cache
def _chord_second(chord: tuple[int, ...]) -> np.ndarray:
    """One second of a chord (each note with a soft octave above it), periodic in 1 s."""
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = np.zeros(SAMPLE_RATE)
    for f in chord:
        tone += np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)
    return tone / len(chord)


def _soundtrack(lengths: list[float]) -> np.ndarray:
    """Soft chords, one per slide, each faded in and out: float32 samples in [-1, 1]."""
    parts = []
    for i, seconds in enumerate(lengths):
        n = round(seconds * SAMPLE_RATE)
        tone = np.tile(_chord_second(CHORDS[i % len(CHORDS)]), math.ceil(n / SAMPLE_RATE))[:n]
        t = np.arange(n) / SAMPLE_RATE
        fade = np.minimum(1.0, np.minimum(t / 0.6, (seconds - t) / 0.6))
        parts.append(tone * fade)
    samples = np.concatenate(parts)
    return (0.25 * samples / np.max(np.abs(samples))).astype(np.float32)


def _container(buffer: io.BytesIO):
    import av

    output = av.open(buffer, mode="w", format="webm")
    # No muxing date, no encoder build string (`.value` is an int at run time, a Flags to the stubs).
    output.flags |= av.container.Flags.bitexact.value  # type: ignore[operator]
    return output


def _add_audio(output, samples: np.ndarray):
    import av

    stream = output.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
    stream.bit_rate = 32_000
    # The fastest of Opus's complexities: a pad of chords loses nothing by it.
    stream.options = {"compression_level": "0"}
    stream.codec_context.flags |= av.codec.context.Flags.bitexact.value
    return stream


def _encode_audio(output, stream, samples: np.ndarray) -> None:
    import av

    chunk = 960 * 50  # one second of 20 ms Opus frames
    for start in range(0, len(samples), chunk):
        piece = samples[start:start + chunk]
        frame = av.AudioFrame.from_ndarray(piece.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = start
        frame.time_base = Fraction(1, SAMPLE_RATE)
        for packet in stream.encode(frame):
            output.mux(packet)
    for packet in stream.encode(None):
        output.mux(packet)


def _planes(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y, U and V planes of a yuv420p frame as PyAV packs it (planes stacked
    in rows of the frame's width)."""
    height, width = packed.shape[0] * 2 // 3, packed.shape[1]
    quarter = height // 4
    return (packed[:height], packed[height:height + quarter].reshape(height // 2, width // 2),
            packed[height + quarter:].reshape(height // 2, width // 2))


def _yuv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import av

    return _planes(av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p").to_ndarray())


def render_video(slides: list[Slide], label: str, fps: int = FPS) -> tuple[bytes, bytes]:
    """The clip's WebM bytes and its poster (the first slide as PNG)."""
    import av

    images = [draw_slide(slide, i, len(slides), label) for i, slide in enumerate(slides, 1)]
    buffer = io.BytesIO()
    output = _container(buffer)
    video = output.add_stream("libvpx", rate=fps)
    video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    video.bit_rate = 300_000
    video.gop_size = fps * KEYFRAME_SECONDS
    video.thread_count = 1
    video.codec_context.flags |= av.codec.context.Flags.bitexact.value
    # Realtime and fastest: slides are still pictures, and blocks that stay still are skipped.
    video.options = {"deadline": "realtime", "cpu-used": "16", "lag-in-frames": "0",
                     "static-thresh": "100000"}
    lengths = [slide.seconds for slide in slides]
    samples = _soundtrack(lengths)
    audio = _add_audio(output, samples)
    index = 0
    total_frames = round(sum(lengths) * fps)
    elapsed = 0.0
    bar = _yuv(np.full((16, 16, 3), ACCENT, dtype=np.uint8))
    accent = (bar[0][0, 0], bar[1][0, 0], bar[2][0, 0])
    for image, seconds in zip(images, lengths, strict=True):
        elapsed += seconds
        base = av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24").reformat(format="yuv420p")
        packed = base.to_ndarray()
        until = round(elapsed * fps)
        while index < until:
            # A thin bar along the bottom grows with the clip, redrawn each second (painted in
            # the YUV planes: one colour conversion a slide, not one a second).
            if index % fps == 0:
                pixels = packed.copy()
                planes = _planes(pixels)
                width = round(WIDTH * min(index + fps, total_frames) / total_frames)
                planes[0][HEIGHT - 4:, :width] = accent[0]
                planes[1][(HEIGHT - 4) // 2:, :width // 2] = accent[1]
                planes[2][(HEIGHT - 4) // 2:, :width // 2] = accent[2]
                frame = av.VideoFrame.from_ndarray(pixels, format="yuv420p")
            frame.pts = index
            for packet in video.encode(frame):
                output.mux(packet)
            index += 1
    for packet in video.encode(None):
        output.mux(packet)
    _encode_audio(output, audio, samples)
    output.close()
    poster = io.BytesIO()
    title_slide = images[0]
    title_slide.save(poster, format="PNG", optimize=True)
    return buffer.getvalue(), poster.getvalue()


def render_audio(lengths: list[float]) -> bytes:
    """An audio clip: the chords alone, Opus in WebM."""
    buffer = io.BytesIO()
    output = _container(buffer)
    samples = _soundtrack(lengths)
    stream = _add_audio(output, samples)
    _encode_audio(output, stream, samples)
    output.close()
    return buffer.getvalue()


def probe(data: bytes) -> Probed:
    """What a file is, read from its content: the longer stream's duration in seconds."""
    import av

    with av.open(io.BytesIO(data), mode="r") as container:
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        seconds = container.duration / av.time_base if container.duration else 0.0
        media_type = ("video/webm" if video is not None else "audio/webm") \
            if "webm" in container.format.name or "matroska" in container.format.name else ""
        return Probed(media_type=media_type, seconds=round(seconds, 3),
                      video=video.codec_context.name if video else None,
                      audio=audio.codec_context.name if audio else None,
                      width=video.codec_context.width if video else None,
                      height=video.codec_context.height if video else None)


def minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))
