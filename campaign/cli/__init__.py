"""The organizers' commands: `campaign --help` lists them (cli/main.py)."""

from .main import main

__all__ = ["main"]
