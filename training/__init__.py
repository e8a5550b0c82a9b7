"""Training and tuning scripts (never imported by the package), run from the repository root as modules.

- ``shipped/``: build or tune the models shipped under presslens/models (``presslens train ...`` runs them).
- ``experiments/``: earlier or alternative models kept for comparison; nothing shipped comes from them.
- ``common``, ``ptc``, ``ct24``: set-up and data readers the scripts share.
"""
