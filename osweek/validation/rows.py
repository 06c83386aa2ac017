"""Row helpers shared by the validation rules: where a failing row sits in its CSV, and what counts as filled."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd


def rows_where(table: pd.DataFrame, mask: pd.Series) -> Iterator[tuple[int, dict]]:
    """Yield (CSV line number, row as a dict of field -> value) for rows where *mask* is true (line 1 is the header)."""
    selected = table[pd.Series(mask, index=table.index).fillna(False).astype(bool)]
    for index, values in zip(selected.index, selected.to_dict("records"), strict=True):  # dicts: iterrows builds a Series per row
        yield index + 2, values


def filled(value: object) -> bool:
    """True unless the cell is empty (None, NA, NaN or the empty string)."""
    return not (value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == "")

