"""Filters over the matcher's hits: places where a taxonomy name does not state a skill.

- A role or unit name: "our DevOps team", "Finance Partner", "a research and teaching
  environment". The skill word only qualifies the noun after it. When the posting names the skill
  nowhere else its first such mention is kept: the role is then the only evidence the posting
  gives ("Java Developer" asks for Java).
- A soft skill's word inside a product's name: "an authoring tool such as Articulate 360"
  (Articulate is not communication there).
- A department the job works with: "partner with Product and Marketing", "work closely with
  Engineering, Sales and Finance" (capitalized names after "with", "across", "alongside").
- Leadership as the people who lead: "present findings to leadership", "influence sales
  leadership", "the senior leadership team".
- An acronym the posting defines as something else: "Music in the Brain (MIB)", "Partner Success
  Manager (PSM)". Every use of that acronym in this posting means the local thing.
"""

from __future__ import annotations

import re

from pipeline.models import SkillKind
from pipeline.taxonomy.matcher import FoundSkill

# Nouns that a skill word can qualify without the posting asking for the skill: jobs, units of an
# organisation and settings. Plurals and a hyphen ("Frontend-Developer") are allowed.
ROLE_NOUNS = (
    "developer", "engineer", "architect", "designer", "manager", "lead", "analyst",
    "specialist", "consultant", "administrator", "partner", "officer", "director",
    "coordinator", "controller", "scientist", "professional", "expert", "head", "owner",
    "team", "department", "division", "unit", "group", "organi[sz]ation",
    "function", "environment", "facilit(?:y|ie)", "assignment", "portfolio", "staff",
    "warrior", "position", "role", "vacanc(?:y|ie)", "opportunit(?:y|ie)",
)
_ROLE_AFTER = re.compile(
    r"[ \t]*(?:-[ \t]*)?(?:(?:software|services?|solutions?|platform|systems?|web|senior|junior)"
    r"[ \t]+)?(?:" + "|".join(ROLE_NOUNS) + r")(?:e?s)?\b",
    re.IGNORECASE,
)
# "Long Form Words ( ACR )": two to eight capitalised or joining words before an acronym in
# parentheses. SkillSpan's text has spaces inside the parentheses; ordinary text has none.
_DEFINITION = re.compile(
    r"((?:[A-Z][\w&'-]*[ \t]+(?:(?:of|for|in|the|and|on|&)[ \t]+)*){2,8})\([ \t]*([A-Z]{2,6})"
    r"[ \t]*\)"
)
_ACRONYM_IN_PARENS = re.compile(r"\([ \t]*[A-Z]{2,6}[ \t]*\)")  # how every definition ends


def is_role_modifier(text: str, hit: FoundSkill) -> bool:
    """Whether the hit only qualifies a role, unit or setting noun right after it."""
    return bool(_ROLE_AFTER.match(text, hit.end))


def drop_role_modifiers(
    text: str, found: list[FoundSkill], keep: tuple[int, int] | None = None
) -> list[FoundSkill]:
    """The hits less those qualifying a role noun. A skill named only that way keeps its first
    such mention: the role is then the posting's one piece of evidence, however often repeated
    ("Full Stack Developer" in the text twice). Hits inside `keep` (the posting's title line)
    always stay: the skills a title names tell the role (pipeline.rank reads them)."""
    modifier = [is_role_modifier(text, hit) and not _within(hit, keep) for hit in found]
    named = {hit.entry.name for hit, role in zip(found, modifier, strict=True) if not role}
    kept = []
    for hit, role in zip(found, modifier, strict=True):
        if role and hit.entry.name in named:
            continue
        kept.append(hit)
        named.add(hit.entry.name)
    return kept


def _within(hit: FoundSkill, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= hit.start and hit.end <= span[1]


def local_acronyms(text: str) -> dict[str, str]:
    """Acronyms the posting defines, each with the words before it, when those words spell it:
    "Music in the Brain ( MIB )", "Partner Success Manager ( PSM )", or end it when the start
    was masked ("<ORGANIZATION> for Protein Research ( CPR )")."""
    defined: dict[str, str] = {}
    if not _ACRONYM_IN_PARENS.search(text):
        return defined  # most postings: the words before nothing need not be tried
    for match in _DEFINITION.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        initials = "".join(w[0].upper() for w in words)
        capitals = "".join(w[0] for w in words if w[0].isupper())
        if _subsequence(acronym, initials) or acronym.endswith(capitals[-2:]):
            defined[acronym] = " ".join(words)
    return defined


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def drop_local_acronyms(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """The hits less acronyms the posting defines as something other than their skill: "CPR"
    stays CPR when the posting spells out "cardiopulmonary resuscitation ( CPR )"."""
    defined = local_acronyms(text)
    if not defined:
        return found
    kept = []
    for hit in found:
        meaning = defined.get(hit.text)
        if meaning is not None and not _same_skill(meaning, hit):
            continue
        kept.append(hit)
    return kept


def _same_skill(meaning: str, hit: FoundSkill) -> bool:
    """Whether the defining words speak of the skill: they share a content word with one of its
    names, up to the ending ("Site Reliability Engineer ( SRE )" defines SRE as the skill,
    "Partner Success Manager ( PSM )" does not define the Scrum certificate)."""
    entry = hit.entry
    names = " ".join((entry.name, *entry.aliases, *entry.exact)).lower()
    own = {_stem(w) for w in re.findall(r"[a-z]{4,}", names)}
    return any(_stem(w) in own for w in re.findall(r"[a-z]{4,}", meaning.lower()))


def _stem(word: str) -> str:
    return word[:6]


# A capital word or a number right after: the soft skill's word begins a name.
_NAME_GOES_ON = re.compile(r"[ \t]+(?:[A-Z][\w+#.-]*|\d[\w.]*)")
_NOT_A_NAME = frozenset({"skills", "skill", "abilities", "ability", "and", "or"})


def drop_named_soft_skills(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """The hits less soft skills written as the start of a name where no sentence or item
    begins: "such as Articulate 360, Adobe Captivate" names a product. "Communication
    Skills" as a heading or an item's first words stays, as does a list of capitalized
    soft skills ("Strong Communication and Leadership")."""
    kept = []
    for hit in found:
        if hit.entry.kind == SkillKind.soft and hit.text[:1].isupper():
            after = _NAME_GOES_ON.match(text, hit.end)
            if (after is not None and after.group(0).strip().lower() not in _NOT_A_NAME
                    and not _begins_sentence(text, hit.start)):
                continue
        kept.append(hit)
    return kept


def _begins_sentence(text: str, start: int) -> bool:
    before = text[max(0, text.rfind("\n", 0, start) + 1):start].rstrip(" \t")
    return not before or before[-1] in ".!?:;•*-–—(\"“'‘>#" or before[-1].isdigit()


# "to leadership", "sales leadership", "the senior leadership team": the leaders, not a skill.
_LEADERS_BEFORE = re.compile(
    r"(?:\b(?:to|with|for|from|by|our|the|sales|executive|senior|company|business|product"
    r"|engineering|marketing|finance|clinical|hospital|school|district|department|team)"
    r"[ \t]+)$", re.IGNORECASE)
_LEADERS_AFTER = re.compile(r"[ \t]+(?:team|teams|group|members?)\b", re.IGNORECASE)
_SKILL_AFTER = re.compile(r"[ \t]+(?:skills?|abilit(?:y|ies)|experience|qualities)\b",
                          re.IGNORECASE)


def drop_leadership_as_people(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """The hits less "leadership" meaning the leaders ("report to leadership"), unless a
    skill word follows ("senior leadership experience")."""
    kept = []
    for hit in found:
        if (hit.entry.kind == SkillKind.soft and hit.text.lower() == "leadership"
                and not _SKILL_AFTER.match(text, hit.end)
                and (_LEADERS_BEFORE.search(text, max(0, hit.start - 40), hit.start)
                     or _LEADERS_AFTER.match(text, hit.end))):
            continue
        kept.append(hit)
    return kept


# Departments a posting names as the people the job works with, capitalized as names.
_DEPARTMENTS = ("Marketing", "Sales", "Finance", "Product", "Engineering", "Design",
                "Operations", "Legal", "Support", "Data", "Analytics", "Research", "Security",
                "Compliance", "Procurement", "Accounting", "HR", "IT", "Customer Success",
                "Business Development", "Growth", "Brand", "Communications", "Partnerships")
_DEPARTMENT = "(?:" + "|".join(re.escape(d) for d in _DEPARTMENTS) + ")"
# "with Product and " / "across Engineering, Sales and ": what may stand before such a name.
_WORKS_WITH = re.compile(
    r"\b(?:with|across|alongside|between|among|partnering|partner)\s+(?:our\s+|the\s+)?"
    r"(?:" + _DEPARTMENT + r"(?:\s*,\s*|\s+(?:and|&)\s+|\s*/\s*))*$")


_DEPARTMENT_LIST = re.compile(_DEPARTMENT + r"(?:(?:\s*,\s*|\s+(?:and|&)\s+|\s*/\s*)"
                              + _DEPARTMENT + ")*")


def drop_departments(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """The hits (the matcher's or the phrase tagger's) less departments, or a list of them,
    named as those the job works with."""
    kept = []
    for hit in found:
        if (_DEPARTMENT_LIST.fullmatch(hit.text)
                and _WORKS_WITH.search(text, max(0, hit.start - 120), hit.start)):
            continue
        kept.append(hit)
    return kept
