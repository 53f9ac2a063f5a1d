"""The cover letter: written from the resume's facts and the posting's, guarded sentence by
sentence like the resume, set in the resume's design on one page.

    letter = write_letter(resume, analysis, report, writer=None)   # local, or an AI writer
    compiled = compile_letter(letter, resume, template="classic")
"""

from __future__ import annotations

from pipeline.letter.render import CompiledLetter, compile_letter, header_view, letter_markdown
from pipeline.letter.write import CoverLetter, LetterWriter, write_letter

__all__ = ["CompiledLetter", "CoverLetter", "LetterWriter", "compile_letter", "header_view",
           "letter_markdown", "write_letter"]
