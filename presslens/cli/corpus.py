"""`presslens corpus index`, `presslens actors list|show|merge|split`, `presslens ask`, `presslens evaluate matching`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import app, evaluate_app

corpus_app = typer.Typer(help="Index the store for cross-article questions (actors, claim families, vectors).",
                         no_args_is_help=True)
actors_app = typer.Typer(help="Corpus actors: one person or organisation across articles; correct the links.",
                         no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
app.add_typer(actors_app, name="actors")

DB_OPTION = typer.Option(..., "--db", help="The presslens store (SQLite file).")
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def existing(db: Path) -> Path:
    from ..errors import InputError

    if not db.exists():
        raise InputError("N02", f"no store at {db}", "create one with `presslens batch ... --db FILE` first")
    return db


@corpus_app.command("index")
def index_command(db: Path = DB_OPTION,
                  relink: bool = typer.Option(False, "--relink", help="Link every entity cluster to actors again "
                                                                      "(user corrections are kept)."),
                  quiet: bool = typer.Option(False, "--quiet", help="No progress lines.")) -> None:
    """Index every stored article not yet indexed: items, vectors, actors, claim families."""
    from ..corpus.index import index

    def progress(done: int, total: int) -> None:
        if not quiet:
            typer.echo(f"indexed {done}/{total} articles", err=True)

    counts = index(existing(db), relink=relink, progress=progress)
    typer.echo(f"indexed {counts['articles']} articles: {counts['items']} items, {counts['families_new']} new claim "
               f"families, {counts['actors']} actors in all ({counts['seconds']} s, embedding {counts['embed_seconds']} s)")


@corpus_app.command("export")
def export_command(db: Path = DB_OPTION, out: Path = typer.Option(..., "--out", help="Folder for the JSONL files.")
                   ) -> None:
    """Write actors, actor links (with evidence), items (with actor and claim family) and families as JSONL."""
    from ..corpus import queries

    counts = queries.export(existing(db), out)
    typer.echo(", ".join(f"{n} {name}" for name, n in counts.items()) + f" written to {out}")


# ---------------------------------------------------------------------------- actors
@actors_app.command("list")
def actors_list(db: Path = DB_OPTION, query: str = typer.Option("", "--name", help="Only names containing this."),
                type_: str = typer.Option("", "--type", help="Only this entity type (PERSON, ORG, GPE, ...)."),
                limit: int = typer.Option(50, "--limit", min=1), as_json: bool = typer.Option(False, "--json")) -> None:
    """Actors, most articles first."""
    from ..corpus import queries

    rows = queries.list_actors(existing(db), query, type_, limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"actors in {db.name}")
    for col in ("id", "name", "type", "articles", "aliases"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), escape(r["name"]), r["type"] or "", str(r["article_count"]),
                      escape(", ".join(r["aliases"][:6])))
    Console().print(table)


@actors_app.command("show")
def actors_show(actor: int = typer.Argument(..., help="Actor id (see `actors list`)."), db: Path = DB_OPTION,
                as_json: bool = typer.Option(False, "--json")) -> None:
    """One actor: names, roles with dates, every link with its evidence, and what they said."""
    from ..corpus import queries

    info = queries.actor(existing(db), actor)
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{escape(info['name'])}[/] ({info['type']}, actor {info['id']}, "
                  f"{info['article_count']} articles){' — corrected by a user' if info['pin'] else ''}")
    console.print("aliases: " + escape(", ".join(info["aliases"])))
    for role in info["roles"]:
        console.print(f"  role: {escape(role['text'])} ({role['published'] or 'undated'}, article {role['article']})")
    for link in info["links"]:
        console.print(escape(f"  article {link['article_id']} {link['entity_id']} {link['name'] or ''}: "
                             f"{link['confidence']:.2f} [{link['evidence']['by']}] {link['evidence']['why']}"))
    for item in info["items"]:
        console.print(f"  {item['published'] or 'undated'} {item['kind']} in {escape(item['title'] or '')}: "
                      f"“{escape(item['text'])}”")


@actors_app.command("merge")
def actors_merge(keep: int = typer.Argument(..., help="The actor that stays."),
                 other: int = typer.Argument(..., help="The actor merged into it."), db: Path = DB_OPTION) -> None:
    """Merge two actors (the same person); the correction survives re-runs and --relink."""
    from ..corpus import actors
    from ..corpus.db import connect

    conn = connect(existing(db))
    try:
        result = actors.merge(conn, keep, other)
    finally:
        conn.close()
    typer.echo(f"merged actor {result['merged']} into {result['actor']} ({result['name']})")


@actors_app.command("split")
def actors_split(actor: int = typer.Argument(..., help="The actor to split."), db: Path = DB_OPTION,
                 name: list[str] = typer.Option([], "--name", help="Move the links with this name (repeatable)."),
                 article: list[int] = typer.Option([], "--article", help="Move the links in this article id.")
                 ) -> None:
    """Split links off an actor into a new one (two people); the correction survives re-runs and --relink."""
    from ..corpus import actors
    from ..corpus.db import connect
    from ..errors import InputError

    if not name and not article:
        raise InputError("N14", "split needs --name or --article to say which links move",
                         "e.g. presslens actors split 7 --name 'Anna Karlsson' --db DB")
    conn = connect(existing(db))
    try:
        result = actors.split(conn, actor, name, article)
    finally:
        conn.close()
    typer.echo(f"moved {result['moved']} links from actor {result['actor']} to new actor {result['new']}")


# ---------------------------------------------------------------------------- ask
@app.command("ask")
def ask_command(question: str = typer.Argument(..., help='A question, e.g. "Will Iceland join the EU?"'),
                db: Path = DB_OPTION,
                format_: str = typer.Option("text", "--format", help="text | json"),
                stance: str = typer.Option("auto", "--stance", help="auto | reader | lexical: the stance step."),
                limit: int = typer.Option(100, "--limit", min=1, help="Items in the brief (most relevant first)."),
                ) -> None:
    """A brief from the store: who is for, against, or discussing what the question asks, with evidence."""
    from ..corpus.ask import AskConfig, ask
    from ..corpus.render import render_text
    from ..errors import InputError

    if format_ not in ("text", "json"):
        raise InputError("N22", f"unknown format {format_!r}", "use --format text or --format json")
    if stance not in ("auto", "reader", "lexical"):
        raise InputError("N23", f"unknown stance step {stance!r}", "use --stance auto, reader or lexical")
    brief = ask(existing(db), question, stance, AskConfig(limit=limit))
    if format_ == "json":
        typer.echo(json.dumps(brief, ensure_ascii=False, indent=1))
    else:
        render_text(brief, Console(highlight=False))


# ---------------------------------------------------------------------------- evaluate matching
@evaluate_app.command("matching")
def evaluate_matching(data: Path = typer.Option(DEFAULT_DATA, "--data", help="The shared data folder."),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """Claim matching on Emergent: is a headline's own claim the best (recall@1) or among the 5 best matches?"""
    from ..corpus.matching import evaluate

    result = evaluate(data)
    if as_json:
        typer.echo(json.dumps(result, indent=1))
        return
    for key, value in result.items():
        typer.echo(f"{key:34} {value}")
