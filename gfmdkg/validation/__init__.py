"""Validation of the graph: SHACL shapes (the `shacl` library, or pySHACL) and QC queries, in one located report."""

from gfmdkg.validation.report import Report, ValidationResult
from gfmdkg.validation.run import validate

__all__ = ["Report", "ValidationResult", "validate"]
