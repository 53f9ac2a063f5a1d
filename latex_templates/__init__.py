"""The Jinja2 LaTeX templates (`<name>.tex.j2`, `_base.tex.j2` the shared preamble) the compile
stage renders resumes through; a package so the wheel ships them and `importlib.resources`
finds them (pipeline/compile/render.py)."""
