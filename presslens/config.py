"""Configuration: defaults.toml < profile < --config FILE < CLI flags, loaded into per-analyzer dataclasses.

A profile (presslens/profiles.toml, chosen by ``[profile] name``) is a named set of settings applied over the
defaults and under everything the user writes, so a setting given explicitly always wins over the profile's."""
from __future__ import annotations

import dataclasses
import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any, Optional

from .errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")
PROFILES_PATH = Path(__file__).with_name("profiles.toml")
DEFAULT_PROFILE = "default"  # defaults.toml as it is


def load_defaults() -> dict[str, dict[str, Any]]:
    with DEFAULTS_PATH.open("rb") as fh:
        return tomllib.load(fh)


def load_profiles() -> dict[str, dict[str, Any]]:
    with PROFILES_PATH.open("rb") as fh:
        return tomllib.load(fh)


def profile_names() -> list[str]:
    return [DEFAULT_PROFILE] + sorted(load_profiles())


def profile_settings(name: str) -> dict[str, dict[str, Any]]:
    """The settings (section -> key -> value) the profile ``name`` lays over the defaults."""
    if name == DEFAULT_PROFILE:
        return {}
    profiles = load_profiles()
    if not isinstance(name, str) or name not in profiles:
        raise ConfigError("C07", f"unknown profile {name!r}", f"known profiles: {', '.join(profile_names())}")
    return {section: values for section, values in profiles[name].items() if isinstance(values, dict)}


def load_config(path: Optional[str | Path] = None,
                overrides: Optional[dict[str, dict[str, Any]]] = None) -> dict[str, dict[str, Any]]:
    """Merge the defaults, the chosen profile, an optional TOML file and explicit overrides (section -> key -> value).

    The profile is the last ``[profile] name`` among the file and the overrides (the defaults' "default" when
    neither names one); its settings go under the file's and the overrides' own."""
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
    name = config["profile"]["name"]
    for layer in layers:
        chosen = layer.get("profile")
        if isinstance(chosen, dict) and "name" in chosen:
            name = chosen["name"]
    layers.insert(0, profile_settings(name))
    for layer in layers:
        for section, values in layer.items():
            if not isinstance(values, dict):
                raise ConfigError("C03", f"config entry {section!r} must be a [section]", "put keys under [section] headers")
            if section not in config:  # defaults.toml has every section: [pipeline], [ingest], one per analyzer
                raise ConfigError("C06", f"unknown section [{section}] in the configuration",
                                  f"known sections: {', '.join(f'[{s}]' for s in config)}")
            config[section].update(values)
    build(ProfileSettings, "profile", config)  # an unknown key under [profile] (a misspelt "name") is an error
    return config


@dataclasses.dataclass(frozen=True)
class ProfileSettings:
    name: str = DEFAULT_PROFILE


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
