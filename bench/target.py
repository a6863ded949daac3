"""Where a benchmark keeps its data: by default a new SQLite file in its folder; with
`--database-url postgresql://…/postgres`, a new database on that PostgreSQL server, so one
benchmark measures both engines the same way."""

from __future__ import annotations

import argparse
from pathlib import Path

from storage.engines import new_database

server_url = ""  # set once by the benchmark's main from --database-url


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgresql://user@host:port/postgres); default: SQLite files",
    )


def use(url: str) -> None:
    global server_url
    server_url = url


async def database_in(workdir: Path) -> str | Path:
    """A fresh database for one run whose files live in `workdir`."""
    if not server_url:
        return workdir / "bot.sqlite3"
    return await new_database(server_url, "bench_" + workdir.name.replace("-", "_").lower())
