"""Verbs a posting's duties begin with ("Monitor vital signs", "lead technical design
reviews"): a phrase that starts with one names the work done, and the skill is what follows.
The phrase tagger trims them from its phrases; the rewrite never writes a skill by such a
form ("Skilled in Monitor vital signs")."""

DUTY_VERBS = frozenset({
    "administer", "analyze", "apply", "assess", "build", "collaborate", "conduct", "coordinate",
    "create", "define", "deliver", "design", "develop", "document", "drive", "educate",
    "ensure", "evaluate", "implement", "improve", "lead", "maintain", "manage", "monitor",
    "operate", "own", "perform", "plan", "prepare", "provide", "run", "scope", "ship",
    "support", "use", "write",
})
