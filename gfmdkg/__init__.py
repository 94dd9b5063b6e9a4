"""gfmdkg: an open knowledge graph of migration-and-development policy (GFMD 2014 evidence, practices, recommendations)."""

__version__ = "0.1.0"
