"""The analyzer registry is the one list of what presslens runs: any change to it must be deliberate."""
from __future__ import annotations

from presslens import registry
from presslens.config import load_defaults
from presslens.pipeline import order_steps

# name: (requires, assigns). Update together with the registry, README and JSON schema.
SNAPSHOT = {
    "blocks": ([], ["blocks"]),
    "entities": (["blocks"], ["entities"]),
    "quotes": (["blocks", "entities"], ["quotes"]),
    "time": (["blocks", "entities"], ["time", "timeline"]),
    "claims": (["blocks", "entities", "quotes"], ["claims"]),
    "genre": (["blocks", "quotes"], ["genre"]),
    "frames": (["blocks"], ["frames"]),
    "stance": (["blocks", "entities", "quotes", "genre"], ["stance"]),
    "techniques": (["blocks"], ["techniques"]),
}


def test_registry_matches_snapshot():
    described = {row["name"]: (row["requires"], row["assigns"]) for row in registry.describe()}
    assert described == SNAPSHOT


def test_every_analyzer_follows_the_contract():
    for name in registry.ANALYZERS:
        module = registry.get(name)
        assert module.NAME == name
        assert module.__doc__ and len(module.__doc__.strip()) > 40, f"{name} needs a docstring saying what it does"
        assert callable(module.analyze) and isinstance(module.VERSION, str)


def test_default_pipeline_runs_every_registered_analyzer_in_a_valid_order():
    defaults = load_defaults()["pipeline"]["analyzers"]
    assert sorted(defaults) == sorted(registry.ANALYZERS)
    order = order_steps({name: registry.get(name) for name in defaults})
    assert order.index("blocks") < order.index("entities") < order.index("quotes") < order.index("claims")
