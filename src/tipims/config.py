"""Typed readers for settings that come from the environment.

Each reader fails loudly (ImproperlyConfigured, naming the variable) on a value it cannot use, so a
mistyped deployment stops at start-up instead of running with a silent default. Secrets may also come
from a file named by the same variable with ``_FILE`` appended (Docker/Kubernetes secrets).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}")
    return number


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    assert value is not None
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


class Secret:
    """A secret's value and where it came from, so that `tipims keys rotate` can write it back."""

    def __init__(self, value: str, source: Path | None):
        self.value = value
        self.source = source


def env_secret(name: str) -> Secret | None:
    """Read NAME, or the file named by NAME_FILE; a missing or empty file is an error."""
    direct = env_str(name)
    file_name = env_str(f"{name}_FILE")
    if direct and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
    if direct:
        return Secret(direct, None)
    if file_name:
        path = Path(file_name)
        try:
            content = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {error}") from None
        if not content:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is empty")
        return Secret(content, path)
    return None


def development_secret(path: Path, generate) -> Secret:
    """A secret kept in var/ for development and the demo: generated once, never committed."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(generate())
    return Secret(path.read_text(encoding="utf-8").strip(), path)


def new_token() -> str:
    return secrets.token_urlsafe(50)
