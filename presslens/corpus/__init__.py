"""The corpus layer over a presslens store: one person across articles (actors), one claim across articles (claim
families), and a brief for a question (``ask``).

``presslens corpus index --db DB`` reads each stored analysis once and writes, into the same SQLite file: the items
that carry what was said (quotes, reported speech, claims), their sentence vectors (sqlite-vec), the actor of every
entity cluster (with evidence and confidence) and the claim family of every item. Analysis itself (``analyze``,
``batch``) is unchanged and pays nothing for this unless the index is asked for.
"""
