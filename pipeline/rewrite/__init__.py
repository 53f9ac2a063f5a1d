"""The rewrite stage: resume + JobAnalysis + MatchReport → TailoredResume (`rewrite_resume`).

rewriter.py drives it and holds the `Rewriter` protocol and the local rewriter;
section_writer.py builds the tailored sections; relevance.py ranks bullets and aligns
terminology; guard.py is the truthfulness guard every rewritten line passes.
"""

from pipeline.rewrite.rewriter import rewrite_resume

__all__ = ["rewrite_resume"]
