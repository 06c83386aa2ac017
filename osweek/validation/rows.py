"""Row helpers shared by the validation rules: where a failing row sits in its CSV, and what counts as filled."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd


def rows_where(table: pd.DataFrame, mask: pd.Series) -> Iterator[tuple[int, pd.Series]]:
    """Yield (CSV line number, row) for rows where *mask* is true (line 1 is the header)."""
    for index, row in table[pd.Series(mask, index=table.index).fillna(False).astype(bool)].iterrows():
        yield index + 2, row


def filled(value: object) -> bool:
    """True unless the cell is empty (None, NA, NaN or the empty string)."""
    return not (value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == "")
