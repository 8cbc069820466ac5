"""zhnews: Chinese news reports to structured, checkable records."""

__version__ = "0.1.0"
