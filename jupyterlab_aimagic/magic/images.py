"""Images in cell outputs as the model receives them (``src/core/context/images.ts``)."""

from __future__ import annotations

import base64
import io
import math
import re
from typing import Any

from .nbjson import join_text

IMAGE_MIME_TYPES = ("image/png", "image/jpeg")
#: Longest edge and largest encoded size each provider takes.
IMAGE_LIMITS = {"anthropic": (1568, 5 * 1024 * 1024), "openai": (2048, 20 * 1024 * 1024)}
DEFAULT_IMAGE_LIMITS = (1568, 5 * 1024 * 1024)
#: Estimated input tokens of one image at the largest size (Anthropic: pixels / 750).
IMAGE_TOKENS = math.ceil((1568 * 1568) / 750)


def takes_images(provider: str, _model: str) -> bool:
    """Whether the provider's model is sent images (every current Claude model)."""
    return provider == "anthropic"


def image_of(output: dict[str, Any]) -> tuple[str, str] | None:
    """``(media type, base64)`` of an output's image (PNG preferred), or None."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None
    data = output.get("data") or {}
    for mime in IMAGE_MIME_TYPES:
        value = data.get(mime)
        if isinstance(value, (str, list)):
            text = re.sub(r"\s+", "", join_text(value))
            if text:
                return mime, text
    return None


def image_parts(outputs: list[dict[str, Any]] | None, cell_id: str | None) -> list[dict[str, Any]]:
    """The image parts of a cell's outputs, in output order."""
    parts = []
    for output in outputs or []:
        image = image_of(output)
        if image:
            part: dict[str, Any] = {"type": "image", "mediaType": image[0], "data": image[1]}
            if cell_id:
                part["cellId"] = cell_id
            parts.append(part)
    return parts


def scale_images(notebook: dict[str, Any], provider: str) -> None:
    """Scale images larger than the provider takes down to its longest edge, in place, as the
    frontend's canvas does. Needs Pillow; without it, images go as they are (the provider
    scales oversized ones itself)."""
    try:
        from PIL import Image
    except ImportError:
        return
    max_edge, _ = IMAGE_LIMITS.get(provider, DEFAULT_IMAGE_LIMITS)
    for cell in notebook.get("cells") or []:
        for output in cell.get("outputs") or []:
            image = image_of(output)
            if not image:
                continue
            try:
                img = Image.open(io.BytesIO(base64.b64decode(image[1])))
            except Exception:
                continue
            if max(img.size) <= max_edge:
                continue
            ratio = max_edge / max(img.size)
            img = img.resize((max(1, round(img.width * ratio)), max(1, round(img.height * ratio))))
            buf = io.BytesIO()
            img.save(buf, format="PNG" if image[0] == "image/png" else "JPEG")
            output["data"][image[0]] = base64.b64encode(buf.getvalue()).decode("ascii")
