"""Docs are a contract (DESIGN habit 10): the README's commands, the settings and the CLI are documented."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme


def test_every_environment_variable_read_by_the_settings_is_documented():
    source = (ROOT / "src/tipims/settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|choice|secret)\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'_secret\(\s*"([A-Z_]+)"', source))
    documented = (ROOT / "docs/settings.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert read and not missing, f"undocumented settings: {missing}"


def test_every_tipims_command_is_documented():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("tipims"))
    documented = (ROOT / "docs/cli.md").read_text()
    assert ours and all(f"`tipims {name}" in documented for name in ours), ours
