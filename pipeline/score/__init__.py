"""The score stage: resume + JobAnalysis → MatchReport (`score_match`).

match.py weighs the parts into the match rate and the honest ceiling; resume_profile.py finds
where the resume evidences each skill (and its years and degree); resume_facts.py holds the
resume facts the rewrite stage's summary also uses.
"""

from pipeline.score.match import score_match

__all__ = ["score_match"]
