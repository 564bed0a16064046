"""nskb: knowledge base and diagnosis kit for Linux sandbox and user-namespace failures."""
__version__ = "0.1.0"
