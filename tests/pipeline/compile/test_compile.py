"""compile_resume end to end with the real TeX: one page for every template × resume,
least relevant content dropped first, trimming reported, text readable back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.compile import compile_resume
from pipeline.compile.fit import positional_relevance, used_height
from pipeline.compile.one_page import fit_resume, read_back
from pipeline.compile.render import list_templates
from pipeline.errors import CompileError
from pipeline.jsonresume import Resume
from pipeline.models import TailoredResume
from tests.pipeline.compile.conftest import EXAMPLES, load_resume, resume_files
from tests.pipeline.compile.slow_tex import slow_tex

TEMPLATES = [name for name, _ in list_templates()]


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _highlights(resume: Resume) -> int:
    return sum(len(w.highlights) for w in resume.work) + sum(
        len(p.highlights) for p in resume.projects)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", resume_files(), ids=lambda p: p.stem)
def test_every_template_and_resume_fits_one_page(template: str, path: Path,
                                                 cache_dir: Path) -> None:
    resume = load_resume(path)
    skills = [k for s in resume.skills for k in s.keywords][:4]
    out, info = fit_resume(TailoredResume(resume=resume), template=template, keywords=skills,
                           cache_dir=cache_dir)
    out = read_back(out, info, skills)
    assert out.pages == 1 and _pages(out.pdf) == 1
    assert 1 <= out.compiles <= (2 if path.parent == EXAMPLES else 3)
    if out.trimmed:  # trimmed to fit: then the page is well filled
        assert used_height(info.run) >= 0.85 * info.run.text_height_pt, out.trimmed
    assert out.parse_back is not None and out.parse_back.ok, out.parse_back
    assert out.resume is not None
    # Never dropped: name, contact, job titles, dates, education.
    assert out.resume.basics == resume.basics.model_copy(
        update={"summary": out.resume.basics.summary})
    assert [(w.name, w.position, w.startDate, w.endDate) for w in out.resume.work] == [
        (w.name, w.position, w.startDate, w.endDate) for w in resume.work]
    assert out.resume.education == resume.education
    for dropped in out.trimmed:
        assert not dropped.startswith(("basics.", "education", "skills")) or (
            dropped == "basics.summary"), dropped
        assert not (dropped.startswith("work[") and "." not in dropped), dropped
    if not out.trimmed:
        assert out.resume == resume
    else:
        assert _highlights(out.resume) <= _highlights(resume)


def test_least_relevant_bullets_go_first(cache_dir: Path) -> None:
    resume = load_resume(Path(__file__).parents[2] / "fixtures/resumes/senior-engineer.json")
    bullets = [f"work[{i}].highlights[{j}]" for i, w in enumerate(resume.work)
               for j in range(len(w.highlights))]
    # Reverse of the positional default: the first job's bullets are the least relevant.
    relevance = {p: k / len(bullets) for k, p in enumerate(bullets)}
    out = compile_resume(TailoredResume(resume=resume, relevance=relevance),
                         template="classic", cache_dir=cache_dir)
    dropped = [p for p in out.trimmed if p in relevance]
    assert dropped, "expected this resume to need trimming"
    kept = [p for p in bullets if p not in out.trimmed]
    assert max(relevance[p] for p in dropped) < min(relevance[p] for p in kept)
    assert out.pages == 1


def test_positional_fallback_prefers_recent_jobs_and_early_bullets() -> None:
    assert positional_relevance("work[0].highlights[0]") > positional_relevance(
        "work[0].highlights[3]") > positional_relevance("work[2].highlights[3]")
    assert positional_relevance("work[1].highlights[0]") > positional_relevance(
        "projects[0].highlights[0]") > positional_relevance("interests[0]")


def test_short_resume_is_one_page_in_one_compile(cache_dir: Path) -> None:
    resume = Resume.model_validate({
        "basics": {"name": "Ada Short", "email": "ada@example.com"},
        "work": [{"name": "Acme", "position": "Engineer", "startDate": "2021-04",
                  "highlights": ["Shipped the billing service in Go"]}],
    })
    out = compile_resume(TailoredResume(resume=resume), template="modern", cache_dir=cache_dir,
                         keywords=["Go", "billing"])
    assert (out.pages, out.compiles, out.trimmed, out.adjustments) == (1, 1, [], [])
    assert out.resume == resume
    assert out.parse_back is not None and out.parse_back.ok


def test_missing_keyword_fails_the_parse_back(cache_dir: Path) -> None:
    resume = Resume.model_validate({"basics": {"name": "Ada Short"},
                                    "skills": [{"name": "Languages", "keywords": ["Go"]}]})
    out = compile_resume(TailoredResume(resume=resume), template="classic", cache_dir=cache_dir,
                         keywords=["Go", "Haskell"])
    assert out.parse_back is not None
    assert not out.parse_back.ok and out.parse_back.missing == ["Haskell"]


def test_without_the_format_the_same_pdf_text(cache_dir: Path) -> None:
    resume = load_resume(Path(__file__).parents[2] / "fixtures/resumes/new-grad.json")
    fast = compile_resume(TailoredResume(resume=resume), template="compact", cache_dir=cache_dir)
    plain = compile_resume(TailoredResume(resume=resume), template="compact",
                           cache_dir=cache_dir, use_format=False)
    assert fast.text == plain.text and fast.trimmed == plain.trimmed


def test_tex_time_is_bounded_per_job(tmp_path: Path) -> None:
    """The compiles of one resume share one TeX time budget; passing it is a CompileError
    naming the limit."""
    resume = Resume.model_validate({"basics": {"name": "Ada Lovelace"}, "work": [
        {"name": "Acme", "position": "Engineer", "startDate": "2020",
         "highlights": ["Built things"]}]})
    # TeX that starts 0.5 s late passes a 0.3 s budget on any machine (a plain compile did
    # not, once, on a fast one).
    with pytest.raises(CompileError, match=r"TeX time limit .* limit 0.3 s \(MAX_TEX_SECONDS\)"):
        compile_resume(TailoredResume(resume=resume), cache_dir=tmp_path / "cache",
                       use_format=False, max_tex_seconds=0.3,
                       tex_bin_dir=slow_tex(tmp_path / "slow-tex", 0.5))
    with pytest.raises(CompileError, match=r"0 compile\(s\), limit 0.01 s"):
        compile_resume(TailoredResume(resume=resume), cache_dir=tmp_path / "cache",
                       max_tex_seconds=0.01)
