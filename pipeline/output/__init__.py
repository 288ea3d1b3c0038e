"""Outputs of bulk runs: writers per format with resume (`writers`), the checks and lock on
`--out` (`guard`) and the typed tables of Parquet and CSV (`tables`).
"""
