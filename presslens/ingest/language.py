"""Is this English? A function-word share (robust on short texts), with langdetect naming the other language."""
from __future__ import annotations

import re
from functools import lru_cache
from ..lexicons import entries

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Below this many words the share is too noisy to judge.
MIN_WORDS = 12


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(w for entry in entries("english_function_words.txt") for w in entry.split())


def detect_language(text: str, min_share: float) -> tuple[str, float]:
    words = [w.lower() for w in WORD.findall(text[:20_000])]
    if len(words) < MIN_WORDS:
        return "en", 1.0
    share = sum(w in function_words() for w in words) / len(words)
    if share >= min_share:
        return "en", share
    return name_language(text), share


def name_language(text: str) -> str:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    try:
        return detect(text[:5000])
    except LangDetectException:  # raised on text without letters; "und" is the BCP 47 code for undetermined
        return "und"
