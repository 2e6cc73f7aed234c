"""Data generated from a known truth, so that a reader can see whether an analysis recovers it.

Each module simulates one kind of experiment: training runs and noisy observations of a law
(:mod:`~chinchilla_lib.simulate.runs`), and the studies built on them.
"""
