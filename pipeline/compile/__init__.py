"""The compile stage: TailoredResume → one-page PDF (`compile_resume`).

render.py turns the resume into LaTeX through the Jinja2 templates of the top-level
`latex_templates` package (content.py builds what they show, escape.py makes every value safe);
sandbox.py runs TeX in its sandbox; one_page.py fits the result on one page (fit.py measures,
predict.py and calibrate.py size it before compiling, fonts.py picks the engine) and
parseback.py checks the PDF's text reads back.
"""

from pipeline.compile.one_page import compile_resume

__all__ = ["compile_resume"]
