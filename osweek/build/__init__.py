"""The book's build plumbing: the Sphinx extension, the myst-nb plugin, the notebook executor,
the print edition and the benchmark. It uses the analysis library's figure format; nothing in
`osweek.data`, `osweek.ingest`, `osweek.validation` or `osweek.analysis` imports it.
"""
