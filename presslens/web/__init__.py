"""The presslens web app: paste or upload an article, browse and search the corpus, dashboard, JSON API.

    >>> from presslens.web import create_app
    >>> app = create_app(Store("corpus.db"), presslens.load())   # then: uvicorn.run(app, host="127.0.0.1")
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
