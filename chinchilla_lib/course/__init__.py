"""What serves the book's pages rather than computing a law: formatting numbers for the prose
and glueing published values with their provenance (:mod:`~chinchilla_lib.course.report`), and
the reproducibility ledger of published numbers the course recomputes
(:mod:`~chinchilla_lib.course.ledger`).
"""
