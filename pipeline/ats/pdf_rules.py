"""ATS rules on a PDF's layout and fonts: body size, margins, images, embedding."""

from __future__ import annotations

from collections import Counter

from pipeline.ats import pdf_probe
from pipeline.ats.text_rules import check
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN, TEX_PT_PER_BP
from pipeline.models import AtsCheck

# The floors are the fitter's (pipeline.floors); a PDF states sizes in PostScript points, so
# LaTeX's 10 pt reads as 9.963 (less a hundredth for rounding in the PDF).
MIN_BODY_BP = MIN_BODY_PT / TEX_PT_PER_BP - 0.01
MAX_IMAGE_SQ_IN = 0.5  # an icon is smaller; anything larger may hold text no ATS reads


def _skipped(rule: str, tool: str) -> AtsCheck:
    return AtsCheck(rule=rule, status="skipped", detail=f"{tool} is not installed")


def body_font_size(sizes: Counter[float]) -> AtsCheck:
    """The size most characters are set in is at least MIN_BODY_PT."""
    if not sizes:
        return AtsCheck(rule="body_font_size", status="fail", detail="no text to measure")
    body, chars = sizes.most_common(1)[0]
    share = chars / sum(sizes.values())
    detail = f"body {body:g} pt ({share:.0%} of the characters)"
    return check("body_font_size", [detail] if body < MIN_BODY_BP else [], detail)


def margins(pdf: bytes) -> AtsCheck:
    """No word closer than MIN_MARGIN_IN to a page's edge."""
    boxes = pdf_probe.word_boxes(pdf)
    if boxes is None:
        return _skipped("margins", "pdftotext")
    if not boxes:
        return AtsCheck(rule="margins", status="fail", detail="no words found")
    sides = {
        "left": min(b.x_min for b in boxes),
        "top": min(b.y_min for b in boxes),
        "right": min(b.page_width - b.x_max for b in boxes),
        "bottom": min(b.page_height - b.y_max for b in boxes),
    }
    narrow = [f"{side} {value / 72:.2f} in" for side, value in sides.items()
              if value < MIN_MARGIN_IN * 72 - 0.5]  # half a point of rounding in the boxes
    smallest = min(sides.values()) / 72
    return check("margins", [f"text within {MIN_MARGIN_IN} in of the edge: {', '.join(narrow)}"]
                 if narrow else [], f"at least {smallest:.2f} in")


def no_text_in_images(pdf: bytes) -> AtsCheck:
    """No raster image larger than an icon: text in an image is invisible to an ATS."""
    found = pdf_probe.images(pdf)
    if found is None:
        return _skipped("no_text_in_images", "pdfimages")
    large = [i for i in found if i.width_in * i.height_in > MAX_IMAGE_SQ_IN]
    problems = [f"page {i.page}: an image of {i.width_in:.1f} × {i.height_in:.1f} in"
                for i in large]
    return check("no_text_in_images", problems, f"{len(found)} image(s), none larger than icons")


def fonts_embedded(pdf: bytes) -> AtsCheck:
    found = pdf_probe.fonts(pdf)
    if found is None:
        return _skipped("fonts_embedded", "pdffonts")
    missing = sorted({f.name for f in found if not f.embedded})
    problems = [f"not embedded: {', '.join(missing)}"] if missing else []
    return check("fonts_embedded", problems, f"{len(found)} font(s), all embedded")
