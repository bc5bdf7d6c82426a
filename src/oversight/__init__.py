"""Oversight: Police and Crime Plan performance, scrutiny and transparency."""

__version__ = "0.1.0"
