"""What the full-size benchmarks share: each database is measured by a child process of the
benchmark script, against its own freshly migrated database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def child_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of a child: this database and var folder only, nothing of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIPIMS_"))}
    env.update(
        TIPIMS_VAR_DIR=str(var_dir), DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tipims.settings"
    )
    return env


def run_child(
    script: str,
    backend: str,
    database_url: str,
    var_dir: Path,
    arguments: list[str],
    *,
    result_file: Path,
    fresh: bool = True,
) -> dict:
    """Run ``script --child ARGUMENTS --result-file FILE`` on a database (dropped and created again
    first when ``fresh`` and PostgreSQL), after migrating it; return the JSON it wrote."""
    env = child_env(database_url, var_dir)
    if backend == "postgresql" and fresh:
        import dj_database_url

        name = dj_database_url.parse(database_url)["NAME"]
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin_url, "-c", statement], check=True, capture_output=True)
    tipims = str(Path(sys.executable).parent / "tipims")
    subprocess.run([tipims, "migrate", "-v0"], env=env, check=True)
    print(f"{backend}:")
    command = [sys.executable, script, "--child", *arguments, "--result-file", str(result_file)]
    subprocess.run(command, env=env, check=True)
    return json.loads(result_file.read_text())
