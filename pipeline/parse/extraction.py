"""Hard and soft skills named in a posting: the taxonomy matcher's hits, tools the taxonomy lacks
found by their shape in runs of known skills (pipeline.parse.extraction_patterns), the other
items of lines that list technologies (pipeline.parse.extraction_lists), less the
places where a name does not state a skill (pipeline.parse.extraction_filters)."""

from __future__ import annotations

from pipeline.parse import extraction_filters, extraction_lists, extraction_patterns
from pipeline.taxonomy.matcher import FoundSkill, get_matcher


def extract_skills(text: str, title: tuple[int, int] | None = None) -> list[FoundSkill]:
    """Every skill the posting names, in order of position. `title` is the title line's
    character range, whose role names stay (extraction_filters.drop_role_modifiers)."""
    found = get_matcher().find(text)
    found += extraction_patterns.find_listed_tools(text, found)
    found += extraction_lists.find_list_items(text, found)
    found.sort(key=lambda hit: hit.start)
    found = extraction_filters.drop_local_acronyms(text, found)
    found = extraction_filters.drop_named_soft_skills(text, found)
    found = extraction_filters.drop_leadership_as_people(text, found)
    found = extraction_filters.drop_departments(text, found)
    found = extraction_filters.drop_role_modifiers(text, found, title)
    return found
