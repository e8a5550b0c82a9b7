"""Model runtime: loading and running the shipped trained models (ONNX/numpy, no torch).

- ``encoder``: the MiniLM encoder shared by the techniques and claims analyzers (one pass per article).
- ``span_reader``: reads each technique span again in its sentence, the span marked.
- ``checkworthiness``: sentence check-worthiness scorers (shared encoder head or the TF-IDF baseline).
"""
