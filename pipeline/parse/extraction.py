"""Hard and soft skills named in a posting: the taxonomy matcher's hits, less the places where a
name does not state a skill (pipeline.parse.extraction_filters)."""

from __future__ import annotations

from pipeline.parse import extraction_filters
from pipeline.taxonomy.matcher import FoundSkill, get_matcher


def extract_skills(text: str) -> list[FoundSkill]:
    """Every skill the posting names, in order of position."""
    found = get_matcher().find(text)
    found = extraction_filters.drop_local_acronyms(text, found)
    found = extraction_filters.drop_role_modifiers(text, found)
    return found
