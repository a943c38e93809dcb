"""`projektatlas links ID`, `projektatlas link confirm|reject A B` and `projektatlas relink`.

ID, A and B: a project by diarienummer, identity or id (``23-001-S01``, ``project:7``), an
organisation as ``org:ID``, a document as ``doc:ID`` or ``doc:PATH`` (or its path as it was
ingested).
"""

from __future__ import annotations

import getpass
import json

import click

from projektatlas.store.db import session_scope

IDENT_HELP = (
    "ID: a project diarienummer/identity/id (or project:ID), org:ID for an organisation, "
    "doc:ID or doc:PATH (or the path itself) for a document."
)


def _label(item: dict) -> str:
    if item["type"] == "project":
        return " ".join(x for x in (item.get("diarienummer"), item.get("name")) if x) or "?"
    if item["type"] == "document":
        return item.get("path_or_url") or "?"
    number = item.get("org_number")
    return f"{item.get('name')}" + (f" ({number})" if number else "")


def _evidence_line(e: dict) -> str:
    left = e.get("document", e.get("a"))
    right = e.get("project", e.get("b"))
    weight = e.get("weight")
    w = f" {weight:+.1f}" if isinstance(weight, int | float) else ""
    return f"{e.get('feature')}: {left} ↔ {right}{w}"


def register(group: click.Group) -> None:
    from projektatlas.cli import db_option, out, print_json

    @group.command(name="links", epilog=IDENT_HELP)
    @click.argument("ident", metavar="ID")
    @click.option("--json", "as_json", is_flag=True, help="Print the links as JSON.")
    @db_option
    def links_cmd(ident: str, as_json: bool, engine) -> None:
        """Show what a project, organisation or document is linked to, with the evidence."""
        from projektatlas.link.service import links_json
        from projektatlas.service import NotFound

        with session_scope(engine) as session:
            try:
                data = links_json(session, ident)
            except NotFound as exc:
                raise click.ClickException(str(exc)) from exc
        if as_json:
            print_json(data)
            return
        subject = data["subject"]
        out.print(f"[bold]{subject['type']} #{subject['id']}[/bold] {_label(subject)}")
        if not data["links"]:
            out.print("inga länkar")
        for link in data["links"]:
            score = f" {link['score']:.1f}" if link["score"] is not None else ""
            by = f" av {link['decided_by']}" if link["decided_by"] else ""
            out.print(
                f"  {link['status']}{score}{by}  {link['relation']}  "
                f"{link['type']} #{link['id']} {_label(link)}"
            )
            for e in link["evidence"]:
                out.print(f"      {_evidence_line(e)}", style="dim")

    @group.group(name="link", epilog=IDENT_HELP)
    def link_group() -> None:
        """Confirm or reject a link between A and B (a person's decision; kept on relink)."""

    def _decide(status: str):
        @click.argument("a", metavar="A")
        @click.argument("b", metavar="B")
        @click.option("--relation", default=None, help="Only this relation (default: all).")
        @click.option("--by", "decided_by", default=None, help="Who decides (default: $USER).")
        @click.option("--json", "as_json", is_flag=True, help="Print the stored links as JSON.")
        @db_option
        def decide(a: str, b: str, relation, decided_by, as_json: bool, engine) -> None:
            from projektatlas.link.service import set_decision
            from projektatlas.service import NotFound

            who = decided_by or _user()
            try:
                with session_scope(engine) as session:
                    rows = set_decision(session, a, b, status, who, relation)
            except (NotFound, ValueError) as exc:
                raise click.ClickException(str(exc)) from exc
            if as_json:
                click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
                return
            for row in rows:
                out.print(f"{status}: {a} —{row['relation']}→ {row['type']} #{row['id']} ({who})")

        return decide

    link_group.command(
        name="confirm", epilog=IDENT_HELP, help="Confirm that A and B belong together."
    )(_decide("confirmed"))
    link_group.command(name="reject", epilog=IDENT_HELP, help="Reject a link between A and B.")(
        _decide("rejected")
    )

    @group.command(name="relink")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @db_option
    def relink_cmd(as_json: bool, engine) -> None:
        """Recompute every automatic link (decisions are kept)."""
        from projektatlas.link.run import link_all

        changed = link_all(engine)
        if as_json:
            print_json({"changed": changed})
        else:
            out.print(f"Länkar: {changed} ändrade")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
