"""The parse stage: posting text → JobAnalysis (`parse_posting`).

posting.py drives it; sections.py splits the posting into lines under their section headings;
posting_facts.py reads the formulaic facts (years, seniority, degree, tone, values). Skills come
from the shared matcher in pipeline.taxonomy.
"""

from pipeline.parse.posting import parse_posting, preload

__all__ = ["parse_posting", "preload"]
