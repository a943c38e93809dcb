"""The `projektatlas` command line: a thin layer over the pipeline and the service functions."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from projektatlas import __version__
from projektatlas.commands import register_all
from projektatlas.store.db import ENV_DB, StoreError, open_store, session_scope

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def db_option(func: Callable) -> Callable:
    """`--db URL` on every command that uses the store (default $PROJEKTATLAS_DB or ./projektatlas.db)."""

    @click.option(
        "--db",
        "db_url",
        envvar=ENV_DB,
        default=None,
        metavar="URL",
        help=f"Database URL or SQLite file (default: ${ENV_DB} or ./projektatlas.db).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, db_url: str | None, **kwargs: Any) -> Any:
        try:
            engine = open_store(db_url)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        return func(*args, engine=engine, **kwargs)

    return wrapper


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="projektatlas")
def main() -> None:
    """Projektatlas: ingest, link and search Swedish ESF/ESF+ project knowledge."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@db_option
def ingest(paths: tuple[str, ...], as_json: bool, engine) -> None:
    """Ingest files, folders (recursively), URLs or - (stdin)."""
    from projektatlas.ingest import ingest as run_ingest

    with Progress(
        TextColumn("[bold]Läser in[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}", style="dim"),
        console=err,
        transient=True,
        auto_refresh=False,  # no refresh thread: ingest forks its worker processes
        disable=as_json or not err.is_terminal,
    ) as progress:
        task = progress.add_task("ingest", total=None, name="")
        summary = run_ingest(
            engine,
            paths,
            on_total=lambda n: progress.update(task, total=n),
            on_item=lambda name: progress.update(task, advance=1, name=name[-60:], refresh=True),
        )
    if as_json:
        print_json(summary.as_dict())
    else:
        d = summary.as_dict()["documents"]
        p = summary.as_dict()["projects"]
        out.print(
            f"Documents: {d['new']} new, {d['unchanged']} unchanged, {d['updated']} updated, "
            f"{d['failed']} failed"
        )
        out.print(f"Projects:  {p['created']} created, {p['updated']} updated")
        for failure in summary.failed:
            err.print(f"[red]failed[/red] {failure.path_or_url}: {failure.reason}")
    sys.exit(0 if summary.ok else 1)


@main.command()
@click.argument("ident", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the project as JSON.")
@db_option
def show(ident: str, as_json: bool, engine) -> None:
    """Show a project by diarienummer or internal id."""
    from projektatlas.service import NotFound, find_project, project_json

    with session_scope(engine) as session:
        try:
            data = project_json(session, find_project(session, ident))
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        print_json(data)
        return
    table = Table(show_header=False, box=None)
    for key, value in data.items():
        if key in {"description", "sources", "provenance"}:
            continue
        if key == "owner" and value:
            value = f"{value['name']} ({value['org_number'] or 'org.nr okänt'}) #{value['id']}"
        table.add_row(f"[bold]{key}[/bold]", "" if value is None else str(value))
    out.print(table)
    if data["description"]:
        out.print()
        out.print(data["description"])
    out.print()
    for src in data["sources"]:
        out.print(f"källa #{src['document_id']} ({src['kind']}): {src['path_or_url']}")


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the projects as JSON.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@db_option
def list_cmd(as_json: bool, limit: int | None, engine) -> None:
    """List the projects in the store."""
    from projektatlas.service import list_projects

    with session_scope(engine) as session:
        rows = list_projects(session, limit)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "diarienummer", "namn", "projektägare", "region", "start")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["diarienummer"] or "–",
            row["name"] or "–",
            row["owner"] or "–",
            row["region"] or "–",
            row["start_date"] or "–",
        )
    out.print(table)
    out.print(f"{len(rows)} projekt")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@db_option
def stats(as_json: bool, engine) -> None:
    """Key figures: documents by kind, projects by period, organisations, facts."""
    from projektatlas.service import stats as get_stats

    with session_scope(engine) as session:
        data = get_stats(session)
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        out.print(f"{key}: {value}")


@main.command(name="show-document")
@click.argument("ident", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@db_option
def show_document(ident: str, as_json: bool, engine) -> None:
    """Show a document's clean text and every fact with its span (ID: id or path/URL)."""
    from projektatlas.service import NotFound, document_json, find_document

    with session_scope(engine) as session:
        try:
            data = document_json(session, find_document(session, ident), include_personal=True)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{data['title'] or '(utan titel)'}[/bold]  ({data['kind']}, #{data['id']})")
    out.print(data["path_or_url"], style="dim")
    out.print()
    out.print(data["text"])
    out.print()
    table = Table("typ", "text", "värde", "span", "extraktor")
    for fact in data["facts"]:
        kind = fact["type"] + (" (personuppgift)" if fact["personal"] else "")
        table.add_row(
            kind,
            fact["text"][:60],
            json.dumps(fact["value"], ensure_ascii=False, default=str)[:60],
            f"{fact['start']}–{fact['end']}",
            fact["extractor"],
        )
    out.print(table)


@main.command()
@click.option("--type", "fact_type", default=None, help="Only this fact type (e.g. place).")
@click.option("--evaluate", is_flag=True, help="Run the extraction evaluation set instead.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@db_option
def facts(fact_type: str | None, evaluate: bool, as_json: bool, engine) -> None:
    """Summarise the stored facts, or evaluate the extractors (precision/recall per type)."""
    if evaluate:
        from projektatlas.extract.evaluate import default_paths, format_table
        from projektatlas.extract.evaluate import evaluate as run_eval

        result = run_eval(default_paths())
        print_json(result) if as_json else out.print(format_table(result))
        return
    from projektatlas.service import fact_summary

    with session_scope(engine) as session:
        data = fact_summary(session, fact_type)
    if as_json:
        print_json(data)
        return
    for name, count in data["by_type"].items():
        out.print(f"{name}: {count}")
    for value, count in data.get("top_values", []):
        out.print(f"  {count:5d}  {value}")


@main.command()
@click.argument("person", metavar="PERSON_OR_EMAIL")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def forget(person: str, yes: bool, engine) -> None:
    """Erase a person (name or e-mail) everywhere: persons, facts, document text, indexes."""
    from projektatlas.store.personal import forget as run_forget

    if not yes and sys.stdin.isatty():
        click.confirm(f"Radera alla uppgifter om {person!r}?", abort=True)
    try:
        with session_scope(engine) as session:
            report = run_forget(session, person)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    from projektatlas.store.maintenance import after_erasure

    after_erasure(engine)
    out.print(
        f"Raderat: {report.persons} person(er), {report.facts} fakta, "
        f"maskerat i {report.documents} dokument."
    )


register_all(main)

if __name__ == "__main__":
    main()
