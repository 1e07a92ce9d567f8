"""Synthetic demo data in real published formats (``sa demo``).

Everything here is fictional: "Demo Borough" and its codes (prefix ``X``) cannot be
mistaken for real ONS codes (which start E, W, S, N or K).
"""
