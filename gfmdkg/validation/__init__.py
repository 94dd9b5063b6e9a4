"""Validation of the graph: the SHACL shapes (native engine, or pySHACL) and the QC queries, in one located report."""

from gfmdkg.validation.report import Report, ValidationResult
from gfmdkg.validation.run import validate

__all__ = ["Report", "ValidationResult", "validate"]
