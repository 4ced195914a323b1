"""campaign: turns a human-rights appeal into letters people actually send."""

from .app import create_app
from .settings import ROOT

__all__ = ["ROOT", "create_app"]
