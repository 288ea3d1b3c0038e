"""Denial reasons: the rule baseline (`rules`), the scikit-learn classifier trained on letters
(`classifier`) and the compiled linear model that scoring loads without scikit-learn (`compiled`).
"""
