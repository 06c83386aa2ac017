"""The analysis library: counts and tables from the data package (`record`), the book's charts
(`charts`, on `figures`), the words that rest on data (`prose`) and the colour checks (`colour`).

Imports run one way: analysis reads a loaded `osweek.data.Dataset`; it never ingests, validates
or builds. The counting functions are re-exported here, so `from osweek import analysis` then
`analysis.sessions(ds)` reads as a chapter expects.
"""

from .record import *  # noqa: F401,F403  (the record's public functions are this package's interface)
