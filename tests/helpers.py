"""Running the real `tipims` command in a fresh SQLite database of its own, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIPIMS = str(Path(sys.executable).parent / "tipims")


def isolated_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIPIMS_", "SECRET_KEY"))}
    env.update(
        TIPIMS_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'tipims.sqlite3'}",
        DJANGO_SETTINGS_MODULE="tipims.settings",
        **extra,
    )
    return env


def run_tipims(
    *args: str, env: dict[str, str], check: bool = True, timeout: int = 180
) -> subprocess.CompletedProcess:
    result = subprocess.run([TIPIMS, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f"tipims {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result
