"""gfmdkg: an open knowledge graph of migration-and-development policy.

GFMD 2014 evidence, practices and recommendations, linked with their provenance.
"""

__version__ = "0.1.0"
