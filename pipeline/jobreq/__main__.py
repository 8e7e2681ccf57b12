"""`python -m jobreq` runs the command line."""

from jobreq.cli import app

app()
