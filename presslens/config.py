"""Configuration: defaults.toml < --config FILE < CLI flags, loaded into per-analyzer dataclasses."""
from __future__ import annotations

import dataclasses
import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any, Optional

from .errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")


def load_defaults() -> dict[str, dict[str, Any]]:
    with DEFAULTS_PATH.open("rb") as fh:
        return tomllib.load(fh)


def load_config(path: Optional[str | Path] = None,
                overrides: Optional[dict[str, dict[str, Any]]] = None) -> dict[str, dict[str, Any]]:
    """Merge the defaults, an optional TOML file and explicit overrides (section -> key -> value)."""
    config = deepcopy(load_defaults())
    layers = []
    if path is not None:
        try:
            with Path(path).open("rb") as fh:
                layers.append(tomllib.load(fh))
        except FileNotFoundError:
            raise ConfigError("C01", f"config file {str(path)!r} does not exist", "pass an existing TOML file to --config")
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("C02", f"config file {str(path)!r} is not valid TOML: {exc}", "fix the TOML syntax")
    if overrides:
        layers.append(overrides)
    for layer in layers:
        for section, values in layer.items():
            if not isinstance(values, dict):
                raise ConfigError("C03", f"config entry {section!r} must be a [section]", "put keys under [section] headers")
            if section not in config:  # defaults.toml has every section: [pipeline], [ingest], one per analyzer
                raise ConfigError("C06", f"unknown section [{section}] in the configuration",
                                  f"known sections: {', '.join(f'[{s}]' for s in config)}")
            config[section].update(values)
    return config


def build(cls: type, section: str, config: dict[str, dict[str, Any]]) -> Any:
    """Instantiate a frozen per-analyzer Config dataclass from its section, rejecting unknown keys."""
    values = config.get(section, {})
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError("C04", f"unknown setting(s) in [{section}]: {', '.join(unknown)}",
                          f"known settings: {', '.join(sorted(known)) or '(none)'}")
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError("C05", f"bad settings in [{section}]: {exc}", "check the value types against defaults.toml")
