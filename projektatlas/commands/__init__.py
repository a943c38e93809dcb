"""CLI command groups contributed by the later pipeline stages.

Each module here exposes ``register(group: click.Group) -> None``; `projektatlas.cli` calls
every one that is installed, so a stage adds its commands without editing cli.py.
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = ("search", "links", "serve")


def register_all(group: click.Group) -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"projektatlas.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"projektatlas.commands.{name}":
                raise
            continue
        module.register(group)
