"""Evaluation: figures of predictions against gold as the reference scorer defines them
(`metrics`), cross-validation by letter (`crossval`) and the negation component on NegEx (`negex`).
"""
