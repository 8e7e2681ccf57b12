"""spaCy components of the jobreq pipeline, one per module."""
