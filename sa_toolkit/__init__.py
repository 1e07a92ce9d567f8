"""Strategic Assessment Toolkit.

Data loaders, indicator calculations and report tooling for the annual strategic
assessment of a Community Safety Partnership (CSP) in England and Wales.
"""

__version__ = "0.1.0"
