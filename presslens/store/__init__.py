"""The corpus store: analysed articles in one SQLite file, queryable per layer, with full-text search.

    >>> from presslens.store import Store
    >>> with Store("corpus.db") as store:
    ...     article_id = store.put(raw_article, document)
    ...     store.get_document(article_id)
"""
from __future__ import annotations

from .sqlite import LAYER_TABLES, Store, StoreError, article_key, key_of, migrate

__all__ = ["LAYER_TABLES", "Store", "StoreError", "article_key", "key_of", "migrate"]
