"""Generated hostile inputs for the fuzz campaign: long runs of one character, deep nesting, mixed scripts,
lone surrogates, control and invisible characters, and news-like sentences with all of those spliced in.

Deterministic: ``inputs(n, seed)`` yields the same ``n`` (kind, text) pairs every time, so a failure names
an input that can be regenerated. Most inputs are short (the per-input paths are what is fuzzed: a
campaign of 10,000 is about a million characters); one in a hundred is long (up to 5,000 characters here;
the linear-time tests take 100,000).
"""
from __future__ import annotations

import random
from typing import Iterator

ALPHABETS = {
    "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "latin": "àéîõüßçñøåæœÀÉÎÕÜÇÑ",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГД",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔ",
    "cjk": "中文日本語漢字新聞記者政府発表한국어기사",
    "arabic": "مرحبابالعالمالحكومةقالت",
    "hebrew": "שלוםעולםממשלה",
    "devanagari": "नमस्तेसरकारसमाचार",
    "emoji": "😀👍🏽👨‍👩‍👧🇬🇧🔥✅",
    "combining": "e\u0301a\u0308o\u0303\u0327\u20dd",
    "invisible": "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e",
    "controls": "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f",
    "bidi": "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2069",
    "quotes": "\"'“”‘’«»„‚‹›「」",
    "brackets": "()[]{}<>",
    "punct": ".,;:!?-–—…/\\|@#$%^&*_=+~`",
    "space": " \t\n\r\u00a0\u2028\u2029\u3000\u2003",
    "surrogates": "\ud800\udbff\udc00\udfff",
}
PAIRS = ["()", "[]", "{}", "“”", "\"\"", "«»", "‘’", "<>"]
TAGS = ["div", "p", "span", "b", "blockquote", "section", "li"]
NAMES = ["Ana Ruiz", "Tom Okafor", "Lena Marsh", "the mayor", "a spokesperson", "Dr. Iqbal", "Mr. O'Neill"]
VERBS = ["said", "told reporters", "added", "warned", "claimed", "wrote"]
WHEN = ["on Monday", "last week", "in March 2021", "on 3 May", "yesterday", "next year", "at 5pm", "since 1990"]
SENTENCES = [
    "{name} {verb} \"{junk} the port will reopen\" {when}.",
    "“{junk}” {name} {verb} {when}, adding that {junk}.",
    "The council voted 7-2 {when} to spend $4m, {name} {verb}. {junk}",
    "{junk} According to {name}, unemployment rose 3 percent {when}.",
    "{name}: “{junk}”",
]


def run_of_one(rng: random.Random) -> str:
    alphabet = rng.choice(list(ALPHABETS.values()))
    return rng.choice(alphabet) * rng.choice([1, 2, 3, 10, 100, 300])


def nested(rng: random.Random) -> str:
    depth = rng.choice([2, 10, 50, 300])
    if rng.random() < 0.3:
        tag = rng.choice(TAGS)
        return f"<{tag}>" * depth + "The council met on Monday." + f"</{tag}>" * rng.choice([0, depth])
    opening, closing = rng.choice(PAIRS)
    inner = rng.choice(["x", "He said so", "", " "])
    return opening * depth + inner + closing * rng.choice([0, depth // 2, depth])


def mixed_scripts(rng: random.Random) -> str:
    names = rng.sample(list(ALPHABETS), k=rng.randint(1, 4))
    chars = "".join(ALPHABETS[name] for name in names) + " " * 3
    return "".join(rng.choice(chars) for _ in range(rng.randint(1, 200)))


def junk(rng: random.Random) -> str:
    alphabet = ALPHABETS[rng.choice(list(ALPHABETS))]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def newsy(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 4)):
        template = rng.choice(SENTENCES)
        sentences.append(template.format(name=rng.choice(NAMES), verb=rng.choice(VERBS), when=rng.choice(WHEN),
                                         junk=junk(rng)))
    separator = rng.choice([" ", "\n", "\n\n", "\r\n", "\u2028"])
    return separator.join(sentences)


def spliced(rng: random.Random) -> str:
    """A news-like text with characters of one hostile class sprinkled through it."""
    text = list(newsy(rng))
    alphabet = ALPHABETS[rng.choice(["controls", "invisible", "bidi", "surrogates", "combining", "quotes"])]
    for _ in range(rng.randint(1, 10)):
        text.insert(rng.randint(0, len(text)), rng.choice(alphabet))
    return "".join(text)


def long_input(rng: random.Random) -> str:
    kind = rng.choice(["run", "nest", "repeat", "mixed"])
    size = rng.choice([1_000, 2_000, 5_000])
    if kind == "run":
        return rng.choice("\"“(<[-.=*'’ \n\u200b") * size
    if kind == "nest":
        opening, closing = rng.choice(PAIRS)
        return opening * (size // 2) + "x" + closing * (size // 2)
    if kind == "repeat":
        unit = rng.choice(['" ', "( ", "He said \"", "A. ", "1, ", "“a” ", "<p>", "Mr. "])
        return (unit * (size // len(unit) + 1))[:size]
    chars = "".join(ALPHABETS.values())
    return "".join(rng.choice(chars) for _ in range(size))


MAKERS = [("run", run_of_one), ("nested", nested), ("mixed", mixed_scripts), ("newsy", newsy),
          ("spliced", spliced)]


def inputs(n: int, seed: int = 12) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    for i in range(n):
        if i % 100 == 99:
            yield "long", long_input(rng)
        else:
            kind, make = MAKERS[i % len(MAKERS)]
            yield kind, make(rng)
