"""What every stage shares to name skills: the shipped skills gazetteer (gazetteer.py, from
pipeline/data/skills.json) and the matcher that finds its skills in text (matcher.py)."""
