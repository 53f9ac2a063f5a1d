"""The compile stage: JSON Resume → LaTeX (Jinja2 templates) → sandboxed TeX → one-page PDF."""

from pipeline.latex.compile import compile_resume
from pipeline.latex.render import Layout, list_templates, render_tex

__all__ = ["Layout", "compile_resume", "list_templates", "render_tex"]
