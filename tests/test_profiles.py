"""Profiles: a named set of settings (presslens/profiles.toml) between the defaults and the user's own."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from presslens.config import load_config, profile_names
from presslens.errors import ConfigError

# Text written for this test (not from any corpus): opinion prose with a few surface techniques.
RANT = ("Councillor Ines Varga said on Tuesday that the city spent 14 million euros on the new bridge.\n\n"
        "Who really believes these reckless, arrogant bureaucrats care about ordinary families? "
        "Either we stop them now or we lose our town forever.")


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "presslens", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def test_accurate_profile_reads_techniques_at_depth_6_and_your_own_setting_still_wins(tmp_path):
    assert load_config()["techniques"]["depth"] == 3 and load_config()["profile"]["name"] == "default"
    accurate = load_config(overrides={"profile": {"name": "accurate"}})
    assert accurate["techniques"]["depth"] == 6 and accurate["profile"]["name"] == "accurate"
    assert accurate["techniques"]["reader"] and accurate["techniques"]["rules"]  # the second readers stay on
    own = tmp_path / "own.toml"
    own.write_text('[profile]\nname = "accurate"\n[techniques]\ndepth = 3\n', encoding="utf-8")
    chosen = load_config(own)
    assert chosen["profile"]["name"] == "accurate" and chosen["techniques"]["depth"] == 3  # the file's value wins
    assert "accurate" in profile_names()


def test_analyze_with_the_accurate_profile_names_the_deeper_reading(tmp_path):
    article = tmp_path / "rant.txt"
    article.write_text(RANT, encoding="utf-8")
    plain = run("analyze", str(article), "--format", "json", "--analyzers", "blocks,entities,quotes,claims,techniques")
    deep = run("analyze", str(article), "--format", "json", "--analyzers", "blocks,entities,quotes,claims,techniques",
               "--profile", "accurate")
    assert plain.returncode == 0 and deep.returncode == 0, plain.stderr + deep.stderr
    models = {name: {s["name"]: s.get("model", "") for s in json.loads(r.stdout)["meta"]["pipeline"]}
              for name, r in (("plain", plain), ("deep", deep))}
    assert "/exit3" in models["plain"]["techniques"] and "/exit6" in models["deep"]["techniques"]
    assert models["plain"]["claims"] == models["deep"]["claims"]  # claims keep their own depth
    techniques = json.loads(deep.stdout)["techniques"]
    assert all("/exit6" in t["evidence"]["by"] for t in techniques)


@pytest.mark.parametrize("how", ["flag", "file"])
def test_unknown_profile_is_one_clear_error_with_the_known_names(tmp_path, how):
    article = tmp_path / "a.txt"
    article.write_text(RANT, encoding="utf-8")
    if how == "flag":
        result = run("analyze", str(article), "--profile", "fastest")
    else:
        config = tmp_path / "c.toml"
        config.write_text('[profile]\nname = "fastest"\n', encoding="utf-8")
        result = run("analyze", str(article), "--config", str(config))
    assert result.returncode == 1 and result.stdout == ""
    assert "[PL-C07] unknown profile 'fastest'" in result.stderr and "default, accurate" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_misspelt_profile_key_is_an_error():
    with pytest.raises(ConfigError) as caught:
        load_config(overrides={"profile": {"nmae": "accurate"}})
    assert caught.value.code.endswith("C04") and "nmae" in caught.value.message
    with pytest.raises(ConfigError) as caught:
        load_config(overrides={"profile": {"name": ["accurate"]}})
    assert caught.value.code.endswith("C07")
