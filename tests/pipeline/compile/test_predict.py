"""The page predictor: TeX's line breaking in Python, and predicted heights against what the
real compile measured, for every template × resume; most fits then take one compile."""

from __future__ import annotations

from pipeline.compile.calibrate import load_metrics
from pipeline.compile.content import build_view
from pipeline.compile.fit import measure, used_height
from pipeline.compile.one_page import fit_resume
from pipeline.compile.predict import FontMetrics, Plan, count_lines, predict, put_back
from pipeline.compile.render import list_templates, template_info
from pipeline.compile.sandbox import Mark, TexConfig, TexRun
from pipeline.models import TailoredResume
from tests.pipeline.compile.conftest import load_resume, resume_files

TEMPLATES = [name for name, _ in list_templates()]


def _mono(space: float = 1.0, shrink: float = 0.0) -> dict[str, FontMetrics]:
    return {"rm": FontMetrics({c: 1.0 for c in "abcdefghij"}, space, shrink, 0.0, 1.0)}


def test_lines_break_at_spaces_only() -> None:
    fonts = _mono()
    assert count_lines([("rm", "aaaa bbbb cccc")], 9.0, fonts) == 2  # "aaaa bbbb" is 9 wide
    assert count_lines([("rm", "aaaa bbbb cccc")], 8.9, fonts) == 3
    assert count_lines([("rm", "")], 5.0, fonts) == 1
    assert count_lines([("rm", "abcdefghij")], 4.0, fonts) == 1  # overfull: no hyphenation


def test_shrinking_the_spaces_saves_a_line() -> None:
    # Natural width 14 in 13.5: each of the four spaces may shrink by 0.5, and TeX takes
    # one tight line over two loose ones.
    fonts = _mono(space=1.0, shrink=0.5)
    assert count_lines([("rm", "aa bb cc dd ee")], 13.5, fonts) == 1
    assert count_lines([("rm", "aa bb cc dd ee")], 11.5, fonts) == 2


def test_predicted_page_matches_the_compile(tex_config: TexConfig) -> None:
    """For every template × resume: the fitted page in one compile in most cases, and the
    prediction of that page within a line of what TeX measured, piece by piece."""
    fits = one_compile = close_pieces = pieces = 0
    for template in TEMPLATES:
        metrics = load_metrics(template, template_info(template).layout, tex_config)
        assert metrics is not None
        for path in resume_files():
            resume = load_resume(path)
            keywords = [k for s in resume.skills for k in s.keywords][:4]
            out, info = fit_resume(TailoredResume(resume=resume), template=template,
                                   keywords=keywords, cache_dir=tex_config.cache_dir)
            fits += 1
            one_compile += out.compiles == 1
            view = build_view(resume, out.trimmed)
            predicted = predict(view, metrics)
            assert abs(predicted.used_pt - used_height(info.run)) <= 14.0, (template, path)
            measured = measure(info.run, dict(view.units()), view.groups()).heights
            for key, height in measured.items():
                pieces += 1
                close_pieces += abs(predicted.heights[key] - height) <= 2.5
    assert pieces > 100 and close_pieces >= 0.9 * pieces, (close_pieces, pieces)
    assert fits == len(TEMPLATES) * len(resume_files())
    assert one_compile >= 0.9 * fits, (one_compile, fits)


def test_calibration_is_cached(tex_config: TexConfig) -> None:
    layout = template_info("classic").layout
    first = load_metrics("classic", layout, tex_config)
    assert first is not None
    assert list((tex_config.cache_dir / "calibration").glob("classic-*.json"))
    assert first.text_width > 400 and first.constants["bullet<bullet"] > 0
    assert load_metrics("classic", layout, tex_config) is first


def _run(used: float, text_height: float = 700.0) -> TexRun:
    marks = [Mark("l", "", 1, 750.0 - used)]
    return TexRun(engine="pdflatex", pdf=b"", log="", pages=1, marks=marks,
                  text_height_pt=text_height, top_pt=750.0, gap_pt=4.0, elapsed_ms=0.0,
                  used_format=True)


def test_a_clearly_short_page_gets_dropped_pieces_back() -> None:
    plan = Plan(dropped=["work[0].highlights[3]", "certificates[0]", "certificates[1]"],
                heights={"work[0].highlights[3]": 40.0, "certificates[0]": 15.0,
                         "certificates[1]": 15.0, "section:Certifications": 60.0},
                ranks={"work[0].highlights[3]": 0.5, "certificates[0]": 0.4,
                       "certificates[1]": 0.2},
                groups={"section:Certifications": ["certificates[0]", "certificates[1]"]})
    assert put_back(plan, _run(used=650.0)) == []  # 93% full: left as it is
    # 100 pt free, 10 kept as margin: the bullet (40), then the first certificate with its
    # section's heading (15 + 30); the second certificate no longer fits.
    assert put_back(plan, _run(used=600.0)) == ["work[0].highlights[3]", "certificates[0]"]
    assert put_back(Plan(), _run(used=100.0)) == []
