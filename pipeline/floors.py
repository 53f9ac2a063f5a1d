"""The readability floors every PDF keeps: the templates are set at or above them, the fitter
never tightens below them, and the ATS check (pipeline.ats.pdf_rules) fails a PDF that goes
below. One definition, so the product cannot write a resume its own ATS report fails.

It sits outside both packages because pipeline.ats already imports pipeline.compile.
"""

from __future__ import annotations

# Body text, in TeX points as `\fontsize` takes them (a PDF states 9.963 PostScript points for
# these 10): smaller, an ATS's OCR fallback and a recruiter both misread it.
MIN_BODY_PT = 10.0

# Space between any text and a page's edge, in inches (geometry's `in` and a PDF's 72 points
# are the same inch): some ATSs crop or skip text closer to the edge.
MIN_MARGIN_IN = 0.5

# TeX points per PostScript point: a PDF's sizes are in the latter.
TEX_PT_PER_BP = 72.27 / 72
