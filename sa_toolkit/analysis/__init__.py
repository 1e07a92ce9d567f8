"""Per-priority calculations behind the assessment notebooks.

One module per notebook (``violent_crime`` for ``01_violent_crime``, ...). Each reads the
processed tables it needs once, computes with :mod:`sa_toolkit.indicators`, and returns
frames and sentences; the notebook only calls these functions and draws.
"""
