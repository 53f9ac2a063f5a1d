"""Role families and title words: what kind of job a title names, for ranking by fit.

A title's family ("software", "nursing", "finance") decides most of whether a posting is in the
candidate's line of work; two postings that share a generic skill ("Excel", "English") are not
alike if one wants a nurse and the other a developer. Families are a short curated list of
title patterns, checked on the title first and, when the title names none, on the opening of
the posting; related families (software and devops) count part way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.models import Seniority
from pipeline.parse.posting_facts import seniority_of

# (family, pattern over a lower-cased title). A title may name several ("Software Engineer -
# Cloud Security"): every family it names counts.
_FAMILY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("software", r"\b(software|developer|programmer|full[- ]?stack|front[- ]?end|back[- ]?end"
                 r"|web (dev|engineer)|mobile|ios|android|javascript|typescript|java|python"
                 r"|\.net|c#|react|angular|vue|node(\.?js)?|php|ruby|golang|scala|kotlin"
                 r"|coder|app engineer|application engineer|integration developer)\b"),
    ("devops", r"\b(devops|sre|site reliability|cloud|platform engineer|infrastructure"
               r"|system administrator|sysadmin|network engineer|network development)\b"),
    ("data", r"\b(data (engineer|scientist|analyst|warehouse|ops|platform)|machine learning|ml"
             r"|artificial intelligence|ai engineer|bioinformatic\w*|analytics|business "
             r"intelligence|bi developer)\b"),
    ("qa", r"\b(qa|quality assurance|test(er|ing)? (engineer|analyst|developer|automation)"
           r"|automation test)\b"),
    ("security", r"\b(security|threat|penetration|infosec|cyber)\b"),
    ("design", r"\b(designer|ux|ui|user experience|graphic design|experience design)\b"),
    ("tech_lead", r"\b(engineering manager|head of it|cto|tech(nical|nology)? lead|it manager"
                  r"|head of engineering|vp engineering|software development manager"
                  r"|development team manager)\b"),
    ("nursing", r"\b(nurse|nursing|rn|lpn|cna|midwife|caregiver|care assistant|healthcare "
                r"assistant|patient care)\b"),
    ("medicine", r"\b(physician|doctor|medical (consultant|officer|doctor)|surgeon|neurosurg\w*"
                 r"|clinical professor|clinician|pharmacist|therapist|radiographer|dentist)\b"),
    ("finance", r"\b(accountant|accounting|finance|financial|controller|controlling|auditor|audit"
                r"|bookkeep\w*|tax|treasury|fp&a|payroll|accounts (payable|receivable)|cfo"
                r"|credit analyst|investment)\b"),
    ("sales", r"\b(sales|account (manager|executive)|business development|partner success"
              r"|customer success|key account|commercial manager|sales representative)\b"),
    ("marketing", r"\b(marketing|brand|seo|sem|content (marketing|manager|strategist)|social media"
                  r"|communications? (manager|specialist|officer)|growth marketer|pr manager)\b"),
    ("research", r"\b(phd|ph\.d|postdoc\w*|post-doc\w*|professor|researcher|research (assistant"
                 r"|associate|scientist|fellow)|scientist|lecturer|scholarship)\b"),
    ("engineering", r"\b(mechanical|electrical|civil|chemical|process|structural|marine|hardware"
                    r"|manufacturing|offshore|substation|electronics) engineer\w*\b"),
    ("hr", r"\b(hr|human resources?|recruiter|talent acquisition|people partner|people & "
           r"organi[sz]ation)\b"),
    ("project", r"\b(project manager|program(me)? manager|project management|scrum master"
                r"|delivery manager|pmo)\b"),
    ("product", r"\b(product (manager|owner|lead))\b"),
    ("hospitality", r"\b(housekeep\w*|waiter|waitress|chef|cook|barista|receptionist|hotel"
                    r"|kitchen|cleaner|cleaning|au pair|nanny)\b"),
    ("logistics", r"\b(warehouse|driver|chauffeur|logistics|delivery driver|forklift|courier"
                  r"|supply chain|order execution)\b"),
    ("education", r"\b(teacher|tutor|instructor|educational|trainer|teaching)\b"),
)
_COMPILED = tuple((family, re.compile(pattern)) for family, pattern in _FAMILY_PATTERNS)

# How alike two families are, 0..1 (symmetric; a family is 1.0 with itself, unlisted pairs 0).
_RELATED: dict[frozenset[str], float] = {
    frozenset(pair): score
    for pair, score in (
        (("software", "devops"), 0.55), (("software", "qa"), 0.55), (("software", "data"), 0.5),
        (("software", "tech_lead"), 0.65), (("software", "security"), 0.4),
        (("software", "design"), 0.35), (("devops", "security"), 0.5),
        (("devops", "tech_lead"), 0.5), (("devops", "data"), 0.4), (("data", "research"), 0.45),
        (("qa", "devops"), 0.35), (("software", "product"), 0.3), (("software", "project"), 0.25),
        (("finance", "sales"), 0.15), (("sales", "marketing"), 0.6),
        (("sales", "product"), 0.35), (("marketing", "product"), 0.35),
        (("nursing", "medicine"), 0.5), (("medicine", "research"), 0.35),
        (("project", "product"), 0.45), (("project", "tech_lead"), 0.4),
        (("engineering", "research"), 0.3), (("engineering", "project"), 0.3),
        (("finance", "project"), 0.15), (("hr", "project"), 0.15),
    )
}

# Seniority as a ladder; a manager stands beside a lead, a director beside a principal.
SENIORITY_RANK: dict[Seniority, int] = {
    Seniority.intern: 0, Seniority.junior: 1, Seniority.mid: 2, Seniority.senior: 3,
    Seniority.lead: 4, Seniority.manager: 4, Seniority.principal: 5, Seniority.director: 5,
    Seniority.executive: 6,
}

# Title words that name no particular line of work.
_GENERIC_WORDS = (
    "engineer engineers developer developers manager specialist consultant officer assistant "
    "associate analyst professional expert team member worker staff m f d w x h"
)
_GENERIC_TITLE_WORDS = frozenset(_GENERIC_WORDS.split())
_NOISE_WORDS = (  # levels and filler: the level is compared on its own
    "senior sr jr junior lead staff principal mid level i ii iii iv intern the a an of and for "
    "in at with to on remote hybrid full time part job position new our we are is sen "
    "fulltime onsite or"
)
_TITLE_NOISE = frozenset(_NOISE_WORDS.split())
_SPELLINGS = (  # one spelling for words titles write several ways
    (re.compile(r"\bfull[- ]stack\b"), "fullstack"),
    (re.compile(r"\bfront[- ]end\b"), "frontend"),
    (re.compile(r"\bback[- ]end\b"), "backend"),
    (re.compile(r"\bnode\.?js\b"), "node"),
    (re.compile(r"\breact\.?js\b"), "react"),
    (re.compile(r"\bprogrammer\b"), "developer"),
)


# "Manager" in these titles names a line of work, not a rung of management: a senior account
# manager is a senior individual contributor.
_NOT_A_MANAGER = re.compile(
    r"\b(account|key account|project|product|programme|program|success|content|category"
    r"|sales|marketing|brand|relationship|partner|community|office|case|data protection"
    r"|compliance|finance|cost)\s+manager\b",
    re.IGNORECASE,
)


def level_of(title: str) -> Seniority | None:
    """The seniority a title names, reading "Account Manager" as no level of its own."""
    return seniority_of(_NOT_A_MANAGER.sub(r"\1 specialist", title))


def families_of(text: str) -> set[str]:
    """Every family a title (or any short text) names."""
    low = text.lower()
    return {family for family, pattern in _COMPILED if pattern.search(low)}


def family_similarity(a: str, b: str) -> float:
    return 1.0 if a == b else _RELATED.get(frozenset((a, b)), 0.0)


def title_words(title: str) -> dict[str, float]:
    """A title's words that say what the job is, each with its weight: words that name no
    line of work ("engineer", "manager") count a third."""
    low = title.lower()
    for pattern, spelling in _SPELLINGS:
        low = pattern.sub(spelling, low)
    words = {w.strip(".-") for w in re.findall(r"[a-z0-9+#.&-]+", low)}
    return {
        w: (0.33 if w in _GENERIC_TITLE_WORDS else 1.0)
        for w in words if w and w not in _TITLE_NOISE and not w.isdigit()
    }


def title_overlap(posting_title: str, candidate_titles: Iterable[tuple[str, float]]) -> float:
    """The weighted share of the posting title's words that a candidate title holds, the best
    over the candidate's titles, each scaled by how current that title is (0..1)."""
    wanted = title_words(posting_title)
    total = sum(wanted.values())
    if not total:
        return 0.0
    best = 0.0
    for title, weight in candidate_titles:
        have = title_words(title)
        best = max(best, weight * sum(w for word, w in wanted.items() if word in have) / total)
    return best
