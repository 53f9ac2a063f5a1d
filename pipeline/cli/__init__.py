"""The `resume-tailor` command line: commands.py (import-light, the entry point `main`) and
display.py (the rich tables and summaries, loaded only by the commands that print them)."""
