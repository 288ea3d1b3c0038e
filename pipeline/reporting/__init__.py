"""Reporting: the HTML report (`report`), the data functions behind it and the notebooks
(`analysis`), and the one highlighter of letter text (`highlight`).
"""
