"""The extraction passes around the taxonomy matcher: what each rule finds and what it must not."""

from __future__ import annotations

from pipeline.models import SkillKind
from pipeline.parse.extraction import extract_skills
from pipeline.parse.extraction_filters import (
    drop_local_acronyms,
    drop_role_modifiers,
    local_acronyms,
)
from pipeline.parse.extraction_lists import LIST_CATEGORY, find_list_items
from pipeline.parse.extraction_patterns import PATTERN_CATEGORY, find_listed_tools, tool_shaped
from pipeline.taxonomy.matcher import get_matcher


def _names(text: str) -> list[str]:
    return [hit.name for hit in extract_skills(text)]


def _texts(hits: list) -> list[str]:
    return [hit.text for hit in hits]


# --- role and unit names -------------------------------------------------------------------

def test_a_role_name_is_dropped_when_the_skill_is_named_elsewhere() -> None:
    text = "You join our DevOps team.\nYou know DevOps practices and Kubernetes."
    found = get_matcher().find(text)
    kept = drop_role_modifiers(text, found)
    devops = [hit for hit in kept if hit.name == "DevOps"]
    assert [hit.start for hit in devops] == [text.index("DevOps practices")]


def test_a_skill_named_only_in_role_names_keeps_its_first_mention() -> None:
    text = "Senior Java Developer\nAs a Java Developer you build services in Kotlin."
    kept = drop_role_modifiers(text, get_matcher().find(text))
    java = [hit for hit in kept if hit.name == "Java"]
    assert [hit.start for hit in java] == [text.index("Java")]
    assert "Kotlin" in _texts(kept)


def test_a_skill_before_an_ordinary_noun_is_no_role_name() -> None:
    text = "Java services for our finance team.\nWe use Java daily."
    kept = drop_role_modifiers(text, get_matcher().find(text))
    assert [hit.text for hit in kept if hit.name == "Java"] == ["Java", "Java"]


# --- acronyms the posting defines -------------------------------------------------------------

def test_an_acronym_defined_as_something_else_is_dropped() -> None:
    text = ("The Centre for Music in the Brain ( MIB ) hires.\nMIB is an interdisciplinary "
            "centre.\nYou know SQL.")
    assert local_acronyms(text) == {"MIB": "The Centre for Music in the Brain"}
    found = [hit for hit in get_matcher().find(text)]
    kept = _texts(drop_local_acronyms(text, found))
    assert "MIB" not in kept and "SQL" in kept


def test_an_acronym_defined_as_its_own_skill_stays() -> None:
    text = "Site Reliability Engineer (SRE)\nYou have worked as an SRE before."
    kept = drop_local_acronyms(text, get_matcher().find(text))
    assert [hit.name for hit in kept if hit.text == "SRE"] == ["Site Reliability Engineering"] * 2


def test_a_masked_start_still_defines_the_acronym() -> None:
    text = "<ORGANIZATION> for Protein Research ( CPR ) offers a stipend."
    assert "CPR" in local_acronyms(text)
    assert "CPR certification" not in _names(text)


# --- tool-shaped words in runs of skills ------------------------------------------------------

def test_tool_shapes() -> None:
    for word in ("AppDynamics", "PostGIS", "gRPCx", "three.js", "Socket.io", "Dagger2", "MPLS"):
        assert tool_shaped(word), word
    for word in ("Developer", "Travis", "CEO", "PhD", "USA", "M", "and"):
        assert not tool_shaped(word), word


def test_a_tool_shaped_word_next_to_known_skills_is_a_skill() -> None:
    text = "Profiling with Dynatrace, YourKit and JProfiler.\nWe use PostgreSQL/PostGIS."
    tools = find_listed_tools(text, get_matcher().find(text))
    assert _texts(tools) == ["YourKit", "JProfiler", "PostGIS"]
    assert all(t.entry.category == PATTERN_CATEGORY and t.kind == SkillKind.hard for t in tools)


def test_tool_shaped_words_away_from_skills_or_in_capitals_are_not_skills() -> None:
    text = ("Our CEO visits the NYC office.\nPython Developers wanted, ASAP.\n"
            "SENIOR JAVA ENGINEER MFD\n<ORGANIZATION> Kubernetes\n")
    tools = find_listed_tools(text, get_matcher().find(text))
    assert tools == []


def test_a_plain_word_breaks_the_run() -> None:
    text = "Python and then, much later, TechLife"
    assert find_listed_tools(text, get_matcher().find(text)) == []


# --- items of a line that lists a stack -------------------------------------------------------

def test_the_tag_line_under_a_technologies_heading_is_all_skills() -> None:
    text = "Technologies\njava apache continuous-integration\nJob description\nWe build things."
    items = find_list_items(text, get_matcher().find(text))
    assert _texts(items) == ["apache", "continuous-integration"]
    assert items[0].entry.category == LIST_CATEGORY


def test_a_stack_line_with_its_label_lists_skills() -> None:
    text = "Tech stack: Python, c, Rancher and gRPC\n"
    items = find_list_items(text, get_matcher().find(text))
    assert "c" in _texts(items) and "and" not in _texts(items)


def test_prose_after_a_technologies_heading_is_not_a_list() -> None:
    text = ("Technologies\nWe are building a modern platform with many moving parts and a "
            "great team behind it.\n")
    assert find_list_items(text, get_matcher().find(text)) == []


def test_a_list_item_that_is_a_taxonomy_form_takes_its_entry() -> None:
    text = "Technologies\nlinux embedded c\n"
    items = find_list_items(text, get_matcher().find(text))
    assert "C" in [item.name for item in items]


# --- the whole pass ---------------------------------------------------------------------------

def test_extract_skills_is_in_order_of_position() -> None:
    text = "Technologies\nkotlin rancher\nYou know Java, AppDynamics and the DevOps team."
    starts = [hit.start for hit in extract_skills(text)]
    assert starts == sorted(starts) and len(starts) >= 4


def test_role_names_in_the_title_line_stay() -> None:
    text = "Senior Java Developer\nWe write Java 17 services."
    title = (0, text.index("\n"))
    kept = drop_role_modifiers(text, get_matcher().find(text), keep=title)
    assert [hit.start for hit in kept if hit.name == "Java"] == [7, text.index("Java 17")]


def test_parse_posting_keeps_the_title_skills() -> None:
    from pipeline.models import Section
    from pipeline.parse import parse_posting

    analysis = parse_posting("Senior Java Developer\n\nRequirements:\n- Java and Kotlin\n")
    java = next(s for s in analysis.hard_skills if s.name == "Java")
    assert Section.title in {m.section for m in java.mentions}
