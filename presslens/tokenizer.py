"""spaCy's tokenizer in time linear in the text, whatever the text.

spaCy splits a whitespace-free run by peeling prefixes and suffixes off it one at a time, each peel a
regex search over what is left: a run of ``n`` quote marks or brackets costs O(n²) (20,000 ``"`` take
most of a minute). ``BoundedTokenizer`` hands spaCy's tokenizer only pieces of bounded length: text
whose runs are all short goes to it whole (the common case, tokenised exactly as before); a run longer
than ``MAX_RUN_CHARS`` is tokenised in ``RUN_PIECE_CHARS`` pieces, glued back without spaces, so the
Doc's text is the input text to the character. A piece without a letter or digit (a stretch of a run of
quote marks, brackets, rules like ``=====``) is one token: splitting it per character would only give the
parser and the models thousands of tokens that carry nothing.
"""
from __future__ import annotations

import re
from typing import Any

# Runs up to this long (URLs, long compounds) are tokenised whole, as spaCy would.
MAX_RUN_CHARS = 200
# A longer run is tokenised in pieces of this many characters (a quadratic cost per piece, linear overall).
RUN_PIECE_CHARS = 50
LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))
WORD_CHAR = re.compile(r"[^\W_]")


class BoundedTokenizer:
    """Wraps a spaCy ``Tokenizer``; a drop-in ``nlp.tokenizer`` (callable text -> Doc)."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Any:
        runs = list(LONG_RUN.finditer(text))
        if not runs:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for run in runs:
            self.add(text[position:run.start()], words, spaces)
            for piece_start in range(run.start(), run.end(), RUN_PIECE_CHARS):
                piece = text[piece_start:min(piece_start + RUN_PIECE_CHARS, run.end())]
                if WORD_CHAR.search(piece):
                    self.add(piece, words, spaces)
                else:
                    words.append(piece)
                    spaces.append(False)
            position = run.end()
            if text.startswith(" ", position):  # the space after the run belongs to its last token
                spaces[-1] = True
                position += 1
        self.add(text[position:], words, spaces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:  # never seen (the fuzz tests check it); spaCy's own answer is slow but faithful
            return self.tokenizer(text)
        return doc

    def add(self, segment: str, words: list[str], spaces: list[bool]) -> None:
        if not segment:
            return
        for token in self.tokenizer(segment):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))

    # spaCy calls these on nlp.tokenizer when it saves, loads or explains a pipeline
    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["tokenizer"], name)

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)


def bound_tokenizer(nlp: Any) -> Any:
    """Install the bounded tokenizer on ``nlp`` (once); returns ``nlp``."""
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp
