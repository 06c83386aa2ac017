"""Remember an analysis function's result for a dataset, so that a chapter (or the chart list, which draws every
chart) computes each table once. A Dataset is read-only once loaded, so a result stays valid for as long as the
dataset lives; callers get a copy, so that changing it cannot change what the next caller sees."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
SIZE = 256  # results kept, least recently used dropped first
_results: OrderedDict[tuple, tuple[object, Any]] = OrderedDict()


def per_dataset(function: F) -> F:
    """Cache *function(ds, *args)* by the dataset object and the other (hashable) arguments."""
    @functools.wraps(function)
    def cached(ds: object, *args: Any) -> Any:
        key = (function.__module__, function.__qualname__, id(ds), args)
        hit = _results.get(key)
        if hit is not None and hit[0] is ds:  # the same dataset object, not a new one at a reused address
            _results.move_to_end(key)
            return _copy(hit[1])
        value = function(ds, *args)
        _results[key] = (ds, value)  # keeping ds alive keeps its id from being reused while cached
        if len(_results) > SIZE:
            _results.popitem(last=False)
        return _copy(value)
    return cached  # type: ignore[return-value]


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, (pd.DataFrame, pd.Series, dict)) else value
