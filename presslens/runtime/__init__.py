"""Model runtime: loading and running the shipped trained models (ONNX/numpy, no torch).

- ``encoder``: the MiniLM encoder shared by the techniques and claims analyzers (one pass per article).
- ``span_reader``: reads each technique span again in its sentence, the span marked.
- ``checkworthiness``: sentence check-worthiness scorers (shared encoder head or the TF-IDF baseline).
- ``stance_reader``: stance of a text toward a claim (agree / disagree / discuss / unrelated), with
  ``stance_features`` (what it reads) and ``stance_tsv`` (the `presslens stance pairs` input).
"""
