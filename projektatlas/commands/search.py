"""CLI: `projektatlas search`, `projektatlas similar` and `projektatlas index`."""

from __future__ import annotations

import click
from rich.table import Table

from projektatlas.search.facets import FACETS
from projektatlas.search.service import SORTS


def _parse_filters(items: tuple[str, ...]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key or not value.strip():
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--filter")
        if key not in FACETS:
            raise click.BadParameter(
                f"unknown facet {key!r}; one of: {', '.join(FACETS)}", param_hint="--filter"
            )
        filters.setdefault(key, []).append(value.strip())
    return filters


def _hits_table(hits: list[dict]) -> Table:
    table = Table("#", "typ", "id", "diarienummer", "titel", "poäng", "utdrag / skäl")
    for rank, hit in enumerate(hits, 1):
        kind = hit["type"] if hit["type"] == "project" else f"{hit['type']} ({hit['kind']})"
        why = hit["snippet"][:160]
        if hit["reason"]:
            why += "\n[dim]" + "; ".join(hit["reason"]) + "[/dim]"
        table.add_row(
            str(rank),
            kind,
            str(hit["id"]),
            hit["diarienummer"] or "–",
            hit["title"][:70],
            f"{hit['score']:.4g}",
            why,
        )
    return table


def register(group: click.Group) -> None:
    from projektatlas.cli import db_option, out, print_json
    from projektatlas.store.db import session_scope

    @group.command()
    @click.argument("query", required=False, default="")
    @click.option(
        "--filter",
        "filters",
        multiple=True,
        metavar="KEY=VALUE",
        help=f"Facet filter, repeatable (OR within a facet). Keys: {', '.join(FACETS)}.",
    )
    @click.option("--limit", type=click.IntRange(0, 500), default=20, show_default=True)
    @click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
    @click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
    @click.option("--no-semantic", is_flag=True, help="Lexical ranking only.")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @db_option
    def search(query, filters, limit, offset, sort, no_semantic, as_json, engine) -> None:
        """Search projects and documents (Swedish-aware; facets with --filter)."""
        from projektatlas.search.service import search as run_search

        with session_scope(engine) as session:
            result = run_search(
                session,
                query,
                _parse_filters(filters),
                limit,
                offset,
                sort,
                semantic=not no_semantic,
            )
        if as_json:
            print_json(result)
            return
        out.print(_hits_table(result["hits"]))
        shown = f"{offset + 1}–{offset + len(result['hits'])}" if result["hits"] else "0"
        out.print(f"{result['total']} träffar (visar {shown})")
        for facet, values in result["facets"].items():
            if values:
                listed = ", ".join(f"{v['label']} ({v['count']})" for v in values[:8])
                out.print(f"[bold]{facet}[/bold]: {listed}")

    @group.command()
    @click.argument("ident", required=False, type=int, metavar="[ID]")
    @click.option("--text", "text_", default=None, help="Describe a project in free text.")
    @click.option("--limit", "k", type=click.IntRange(1, 100), default=10, show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @db_option
    def similar(ident, text_, k, as_json, engine) -> None:
        """Projects similar to project ID (internal id) or to --text."""
        from projektatlas.search.service import similar as run_similar
        from projektatlas.service import NotFound

        if (ident is None) == (text_ is None):
            raise click.UsageError("give either a project ID or --text")
        try:
            with session_scope(engine) as session:
                result = run_similar(session, project_id=ident, text=text_, k=k)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
        if as_json:
            print_json(result)
            return
        out.print(_hits_table(result["hits"]))

    @group.command()
    @click.option("--rebuild", is_flag=True, help="Drop the search index and build it again.")
    @click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
    @db_option
    def index(rebuild: bool, as_json: bool, engine) -> None:
        """Bring the search index up to date (incremental), or rebuild it."""
        from projektatlas.search.indexer import rebuild_index, sync_index

        n = rebuild_index(engine) if rebuild else sync_index(engine)
        if as_json:
            print_json({"indexed": n, "rebuilt": rebuild})
        else:
            out.print(f"Sökindex: {n} poster {'byggda om' if rebuild else 'uppdaterade'}.")
