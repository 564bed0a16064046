"""Command-line entry points: the only layer that prints and exits."""
