"""The rank stage: one resume against many postings, sorted by fit (not by match rate)."""

from pipeline.rank.postings import rank_postings

__all__ = ["rank_postings"]
