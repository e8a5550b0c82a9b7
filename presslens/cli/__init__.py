"""The `presslens` command line: each command parses arguments, calls one library function, renders.

Errors are mapped once, here: a PresslensError prints its message and hint and exits 2 for
input errors, 1 otherwise; a traceback is shown only with --debug.
"""
from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import InputError, PresslensError

app = typer.Typer(help="presslens: offline, explainable news analysis.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
evaluate_app = typer.Typer(help="Measure an analyzer against gold data.", no_args_is_help=True)
config_app = typer.Typer(help="Show the configuration.", no_args_is_help=True)
train_app = typer.Typer(help="Rebuild a shipped model from ../shared/data (needs the training venv).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(config_app, name="config")
app.add_typer(train_app, name="train")

err_console = Console(stderr=True)
UNEXPECTED = "PL-X00"  # an exception no presslens code anticipated
DEBUG = {"on": False}


@app.callback()
def root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.")) -> None:
    DEBUG["on"] = debug


def report_error(exc: PresslensError) -> None:
    # messages name paths and inputs, which may hold "[...]": escaped, so rich prints them as written
    err_console.print(f"[bold red]error[/] \\[{exc.full_code}] {escape(exc.message)}", highlight=False, markup=True)
    if exc.hint:
        err_console.print(f"  [dim]hint:[/] {escape(exc.hint)}", highlight=False)


def main(argv: Optional[list[str]] = None) -> None:
    # Command modules register themselves on `app` / `evaluate_app` when imported.
    from . import analyze, batch, claims, config_show, entities, judgements, quotes, serve, stance, techniques, time  # noqa: F401
    from . import corpus  # noqa: F401

    try:
        app(args=argv, prog_name="presslens", standalone_mode=False)
    except PresslensError as exc:
        if DEBUG["on"]:
            raise
        report_error(exc)
        sys.exit(2 if isinstance(exc, InputError) else 1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # usage mistakes (typer's own click exceptions) and anything unexpected
        if isinstance(exc, typer.TyperException) and hasattr(exc, "show"):
            exc.show()  # a usage mistake: the command's usage line, the problem, exit 2
            sys.exit(getattr(exc, "exit_code", 2))
        if DEBUG["on"]:
            raise
        err_console.print(f"[bold red]error[/] \\[{UNEXPECTED}] unexpected {type(exc).__name__}: {escape(str(exc))}")
        err_console.print("  [dim]hint:[/] this is a presslens bug: re-run with --debug and report the traceback")
        sys.exit(1)
