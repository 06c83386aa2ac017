"""osweek: data, checks and figures for the UN Open Source Week 2026 book."""

from .data import FIRST_ACCOUNT, DataError, Dataset, load
from .validation import Problem, validate

__all__ = ["FIRST_ACCOUNT", "DataError", "Dataset", "Problem", "load", "validate"]
__version__ = "1.0.0"
