"""`python -m gfmdkg` runs the command-line interface."""

from gfmdkg.cli import main

main()
