"""One module per stage's task; `base.run_stage` holds what they share."""
