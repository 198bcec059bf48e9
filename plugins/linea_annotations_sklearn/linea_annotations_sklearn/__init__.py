"""linea-annotations-sklearn: scikit-learn's side effects, so sklearn code is sliced exactly
without run-time fingerprints (see ``tools/generate_pack.py`` for the rules)."""

__version__ = "0.1.0"
