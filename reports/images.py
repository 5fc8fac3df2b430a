"""Uploaded figures and logos, made safe before they are stored.

PNG and JPEG are decoded and encoded again with Pillow (a well-kept library): what is stored
are only pixels, no metadata, no trailing data. SVG is parsed with defusedxml (no entities,
no external DTDs) and rebuilt from an allow-list of drawing elements and attributes; every
reference that points outside the file (href, url(...) not starting with '#', <image>,
<foreignObject>, <script>, <style>, event handlers) is dropped. The PDF renderer's URL
fetcher refuses anything but our static files anyway; this is the second fence.
"""

import io
import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "symbol", "use", "marker",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "id", "class", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "d",
    "points", "width", "height", "viewBox", "preserveAspectRatio", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "letter-spacing", "dx", "dy", "offset", "stop-color",
    "stop-opacity", "gradientUnits", "gradientTransform", "fx", "fy", "clip-path",
    "clip-rule", "clipPathUnits", "mask", "maskUnits", "patternUnits", "patternTransform",
    "markerWidth", "markerHeight", "refX", "refY", "orient", "marker-start", "marker-mid",
    "marker-end", "href", "visibility", "display", "version",
}  # fmt: skip
URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)

PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"


def _local(value: str) -> bool:
    """Only references inside the same file ('#id') may stay."""
    return all(ref.startswith("#") for ref in URL_REFERENCE.findall(value))


def _clean_svg(data: bytes) -> bytes:
    try:
        root = SafeET.fromstring(data)
    except Exception as error:  # defusedxml raises several kinds for forbidden constructs
        raise ValidationError(_("Dit SVG-bestand kan niet gelezen worden.")) from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValidationError(_("Dit is geen SVG-afbeelding."))

    def rebuild(element) -> ET.Element | None:
        name = element.tag.split("}", 1)[-1] if element.tag.startswith(f"{{{SVG_NS}}}") else ""
        if name not in SVG_ELEMENTS:
            return None
        clean = ET.Element(f"{{{SVG_NS}}}{name}")
        for key, value in element.attrib.items():
            local = key.split("}", 1)[-1]
            if key.startswith("{") and not key.startswith(f"{{{XLINK_NS}}}"):
                continue
            if local not in SVG_ATTRIBUTES:
                continue
            if local == "href" and not value.startswith("#"):
                continue
            if not _local(value):
                continue
            clean.set(local if local != "href" else "href", value)
        clean.text, clean.tail = element.text, element.tail
        for child in element:
            kept = rebuild(child)
            if kept is not None:
                clean.append(kept)
        return clean

    ET.register_namespace("", SVG_NS)
    return ET.tostring(rebuild(root), encoding="utf-8", xml_declaration=False)


def _clean_pixels(data: bytes) -> tuple[bytes, str]:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in ("PNG", "JPEG"):
                raise ValidationError(_("Kies een PNG-, JPEG- of SVG-bestand."))
            image.load()
            out = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=90)
                return out.getvalue(), JPEG
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            image.save(out, "PNG", optimize=True)
            return out.getvalue(), PNG
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Dit bestand is geen leesbare afbeelding.")) from error


def image_clean(upload) -> tuple[bytes, str]:
    """Read an uploaded file and return (safe bytes, content type).

    Raises ValidationError (Dutch) for a file that is too large, unreadable, or not PNG,
    JPEG or SVG.
    """
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Een afbeelding mag hoogstens 5 MB zijn."))
    if not data:
        raise ValidationError(_("Het bestand is leeg."))
    head = data.lstrip()[:512].lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return _clean_svg(data), SVG
    return _clean_pixels(data)
