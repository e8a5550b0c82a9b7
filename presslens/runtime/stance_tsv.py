"""The `presslens stance pairs` input: one ``id<TAB>claim<TAB>text`` pair per line, no header.

The whole file is checked before anything is read by the model, so a bad line stops the run with a coded error
naming the line, and nothing is written. Tabs after the second one belong to the text; a line break inside a text
can be written as the two characters ``\\n``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

FORMAT = "id<TAB>claim<TAB>text"


@dataclass(frozen=True)
class Pair:
    id: str
    claim: str
    text: str


def read_pairs(path: str | Path) -> list[Pair]:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("P11", f"TSV file {str(path)!r} does not exist", f"pass a file of {FORMAT} lines")
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputError("P12", f"{str(path)!r} is not a UTF-8 text file ({type(exc).__name__})",
                         f"pass a UTF-8 file of {FORMAT} lines")
    pairs: list[Pair] = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        cells = line.split("\t", 2)
        if len(cells) < 3:
            raise InputError("P13", f"{path.name} line {n}: expected {FORMAT}, got {len(cells)} field(s)",
                             "separate id, claim and text with TAB characters (no header line)")
        pid, claim, text = cells[0].strip(), cells[1].strip(), cells[2].replace("\\n", "\n").strip()
        missing = [name for name, value in (("id", pid), ("claim", claim), ("text", text)) if not value]
        if missing:
            raise InputError("P14", f"{path.name} line {n}: the {' and '.join(missing)} field is empty",
                             f"every line needs a non-empty {FORMAT}")
        pairs.append(Pair(pid, claim, text))
    if not pairs:
        raise InputError("P15", f"{path.name} holds no pairs", f"give one {FORMAT} line per pair")
    return pairs
