"""presslens: offline, explainable news analysis.

    >>> import presslens
    >>> reading = presslens.analyze("“We will win,” the mayor said on Monday.", published="2024-03-05")
    >>> reading.to_dict()["quotes"]
"""
from __future__ import annotations

__version__ = "0.1.0"

from typing import Any, Optional  # noqa: E402

from .document import Document  # noqa: E402

_default_pipeline = None


def load(analyzers: Optional[list[str]] = None, config_path: Optional[str] = None,
         profile: Optional[str] = None) -> "Any":
    """Build a Pipeline (spaCy and models loaded once); reuse it for many articles. ``profile`` names a set of
    settings from presslens/profiles.toml ("accurate": slower, more accurate), over the one the config names."""
    from .config import load_config
    from .pipeline import Pipeline

    overrides = {"profile": {"name": profile}} if profile is not None else None
    return Pipeline(analyzers=analyzers, config=load_config(config_path, overrides))


def analyze(text: str, **meta: Any) -> Document:
    """Analyse one article text with the default pipeline (built on first use)."""
    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = load()
    return _default_pipeline.analyze(text, **meta)


__all__ = ["Document", "analyze", "load", "__version__"]
