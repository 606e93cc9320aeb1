from __future__ import annotations

from typing import BinaryIO

from PIL import Image


def thumbnail(stream: BinaryIO) -> Image.Image:
    image = Image.open(stream)
    image.thumbnail((256, 256))
    return image
