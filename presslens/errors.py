"""Every presslens error: a code, a message naming the problem, and a hint saying what to do.

Subtypes say who must act: InputError (the user's file), ConfigError, ModelError (missing
artifact or checksum mismatch), SchemaError (a record that does not fit the document model),
AnalyzerError (an analyzer crashed on one article). Shells map them once: the CLI prints
message + hint and exits 2 for input errors, 1 otherwise.
"""
from __future__ import annotations


class PresslensError(Exception):
    prefix = "PL"

    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    @property
    def full_code(self) -> str:
        return f"{self.prefix}-{self.code}"

    def __str__(self) -> str:
        return f"[{self.full_code}] {self.message}" + (f" — {self.hint}" if self.hint else "")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.full_code, "message": self.message, "hint": self.hint}


class InputError(PresslensError):
    """The article given cannot be read or analysed as it is."""


class ConfigError(PresslensError):
    """The configuration or pipeline definition is wrong."""


class ModelError(PresslensError):
    """A model or artifact is missing, corrupt, or does not match its pinned checksum."""


class SchemaError(PresslensError):
    """A record or stored analysis does not fit the document model."""


class AnalyzerError(PresslensError):
    """An analyzer crashed on one article; wraps the original exception."""

    def __init__(self, analyzer: str, article_id: str, cause: BaseException):
        super().__init__(
            "A01",
            f"analyzer {analyzer!r} failed on article {article_id!r}: {type(cause).__name__}: {cause}",
            "this is a presslens bug: re-run with --debug and report the traceback",
        )
        self.analyzer = analyzer
        self.article_id = article_id
        self.cause = cause
