"""Validation of the data package: the schema checks of `osweek.data`, the package's own rules
(`package`) and the pointers into the sources (`pointers`). `python -m osweek validate` runs it.
"""

from .package import Problem, summary, validate

__all__ = ["Problem", "summary", "validate"]
