"""Small real media files for tests, encoded with PyAV (FFmpeg in its wheel): a few KB that
Chromium plays (WebM VP9/Opus, VP8/Vorbis), and MP4 H.264/AAC, MP3, OGG for the checks."""

import io
from typing import Any

import av
import numpy as np


def encode(fmt: str, video: str | None, audio: str | None, *, seconds: float = 2.0,
           width: int = 64, height: int = 48, fps: int = 10) -> bytes:
    """A clip of `seconds`: a picture that brightens frame by frame, and a 440 Hz tone."""
    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as container:
        # PyAV types a new stream as any of video, audio or subtitles: these are known.
        vstream: Any = None
        astream: Any = None
        if video:
            vstream = container.add_stream(video, rate=fps)
            vstream.width, vstream.height, vstream.pix_fmt = width, height, "yuv420p"
        if audio:
            # FFmpeg's own Vorbis encoder is marked experimental (and wants stereo).
            options = {"strict": "experimental"} if audio == "vorbis" else {}
            astream = container.add_stream(audio, rate=48000 if "opus" in audio else 44100, options=options)
            if audio == "vorbis":
                astream.codec_context.layout = "stereo"
        if vstream is not None:
            for i in range(round(seconds * fps)):
                picture = np.full((height, width, 3), (i * 12) % 256, dtype=np.uint8)
                frame: Any = av.VideoFrame.from_ndarray(picture, format="rgb24")
                frame.pts = i
                container.mux(vstream.encode(frame))
            container.mux(vstream.encode(None))
        if astream is not None:
            rate, step = astream.codec_context.sample_rate, astream.codec_context.frame_size or 1024
            total, t = round(seconds * rate), 0
            layout = "stereo" if audio == "vorbis" else "mono"
            channels = 2 if layout == "stereo" else 1
            while t < total:
                n = min(step, total - t)
                tone = (0.1 * np.sin(2 * np.pi * 440 * np.arange(t, t + n) / rate)).astype(np.float32)
                samples = np.tile(tone, (channels, 1)) if audio == "vorbis" else tone.reshape(1, -1)
                fmt_name = "fltp" if audio == "vorbis" else "flt"
                sound: Any = av.AudioFrame.from_ndarray(samples, format=fmt_name, layout=layout)
                sound.sample_rate, sound.pts = rate, t
                container.mux(astream.encode(sound))
                t += n
            container.mux(astream.encode(None))
    return out.getvalue()


def webm(seconds: float = 2.0, **kwargs) -> bytes:
    return encode("webm", "libvpx-vp9", "libopus", seconds=seconds, **kwargs)


def mp4(seconds: float = 2.0) -> bytes:
    return encode("mp4", "libx264", "aac", seconds=seconds)


def mp3(seconds: float = 2.0) -> bytes:
    return encode("mp3", None, "libmp3lame", seconds=seconds)


def ogg(seconds: float = 2.0) -> bytes:
    return encode("ogg", None, "libopus", seconds=seconds)
