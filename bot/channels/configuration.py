"""Settings combinations that cannot work, found while building the channels."""

from __future__ import annotations


class ConfigurationProblem(RuntimeError):
    """Start-up stops with this message (e.g. a webhook URL with the web server off)."""
