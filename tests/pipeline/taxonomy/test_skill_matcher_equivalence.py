"""The spaCy-free skill matcher finds exactly what the PhraseMatcher-based one found.

Compared on every posting in examples/postings (as read from disk and as the CLI loads it), each
of their lines, the example resumes' skill items and, when the shared data folder is present,
every SkillSpan dev posting. Tokens and raw phrase matches are compared too, so a difference
says which layer it comes from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import InvalidInput
from pipeline.inputs import load_posting, load_resume
from pipeline.taxonomy.gazetteer import load_taxonomy
from pipeline.taxonomy.matcher import FoundSkill, SkillMatcher, get_matcher
from pipeline.taxonomy.skill_index import find_phrases
from tests.pipeline.taxonomy.reference_matcher import ReferenceMatcher

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
SKILLSPAN_DEV = ROOT.parent / "shared" / "data" / "skillspan" / "skillspan_dev.postings.jsonl"


@pytest.fixture(scope="module")
def reference() -> ReferenceMatcher:
    return ReferenceMatcher(load_taxonomy())


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return get_matcher()


def example_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((EXAMPLES / "postings").iterdir()):
        raw = path.read_text(encoding="utf-8")
        loaded = load_posting(path)
        yield path.name, raw
        yield f"{path.name} (loaded)", loaded
        for number, line in enumerate(loaded.splitlines(), start=1):
            if line.strip():
                yield f"{path.name} line {number}", line


def skillspan_texts() -> Iterator[tuple[str, str]]:
    with SKILLSPAN_DEV.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            yield record["id"], record["text"]


def resume_items() -> Iterator[str]:
    folders = (EXAMPLES / "resumes", ROOT / "tests" / "fixtures" / "resumes")
    for path in sorted(p for folder in folders for p in folder.iterdir()
                       if p.suffix in {".json", ".yaml"}):
        try:
            resume = load_resume(path)
        except InvalidInput:
            continue  # some fixtures are invalid on purpose
        for group in resume.skills:
            yield from (group.name or "", *group.keywords)
        for language in resume.languages:
            yield language.language or ""
        for work in resume.work:
            yield from work.highlights


def as_tuples(found: list[FoundSkill]) -> list[tuple[object, ...]]:
    return [(f.entry, f.text, f.start, f.end) for f in found]


def assert_same(matcher: SkillMatcher, reference: ReferenceMatcher, label: str, text: str) -> None:
    spacy_doc = reference.nlp.make_doc(text)
    doc = matcher.tokenizer(text)
    assert [(t.text, t.idx) for t in doc] == [(t.text, t.idx) for t in spacy_doc], label
    strings = reference.nlp.vocab.strings
    for trie, phrase_matcher, words in ((matcher.index.lower, reference._lower, doc.lowers),
                                        (matcher.index.orth, reference._orth, doc.words),
                                        (matcher.index.listed, reference._listed, doc.lowers)):
        expected = [(int(strings[k][1:]), s, e) for k, s, e in phrase_matcher(spacy_doc)]
        assert list(find_phrases(trie, words)) == expected, label
    assert as_tuples(matcher.find(text)) == as_tuples(reference.find(text)), label


def test_same_skills_on_the_example_postings(matcher: SkillMatcher,
                                             reference: ReferenceMatcher) -> None:
    texts = list(example_texts())
    assert len(texts) > 12
    for label, text in texts:
        assert_same(matcher, reference, label, text)


def test_same_skills_on_the_example_resume_items(matcher: SkillMatcher,
                                                 reference: ReferenceMatcher) -> None:
    items = [item for item in resume_items() if item]
    assert len(items) > 50
    for item in items:
        assert as_tuples(matcher.find_item(item)) == as_tuples(reference.find_item(item)), item


@pytest.mark.skipif(not SKILLSPAN_DEV.is_file(),
                    reason=f"SkillSpan dev postings not found at {SKILLSPAN_DEV} (shared data)")
def test_same_skills_on_every_skillspan_dev_posting(matcher: SkillMatcher,
                                                    reference: ReferenceMatcher) -> None:
    count = 0
    for label, text in skillspan_texts():
        assert_same(matcher, reference, label, text)
        for number, line in enumerate(text.splitlines(), start=1):
            for item in line.split(","):  # list items, as a resume's skills would hold them
                assert as_tuples(matcher.find_item(item)) == as_tuples(
                    reference.find_item(item)), f"{label} line {number}: {item!r}"
        count += 1
    assert count > 50
