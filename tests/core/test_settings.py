"""Settings come from the environment through readers that fail loudly, and production passes
`tipims check --deploy`."""

import base64
import os

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from tests.helpers import isolated_env, run_tipims
from tipims import config


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_boolean_that_is_not_one_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("TIPIMS_X", value)
    with pytest.raises(ImproperlyConfigured, match="TIPIMS_X"):
        config.env_bool("TIPIMS_X", default=False)


def test_numbers_and_choices_are_checked(monkeypatch):
    monkeypatch.setenv("TIPIMS_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        config.env_int("TIPIMS_N", 1)
    monkeypatch.setenv("TIPIMS_N", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        config.env_int("TIPIMS_N", 1, minimum=1)
    monkeypatch.setenv("TIPIMS_ENV_X", "staging")
    with pytest.raises(ImproperlyConfigured, match="one of"):
        config.env_choice("TIPIMS_ENV_X", "development", {"development", "production"})


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "secret"
    path.write_text("s3cret\n")
    monkeypatch.setenv("TIPIMS_S_FILE", str(path))
    secret = config.env_secret("TIPIMS_S")
    assert secret.value == "s3cret" and secret.source == path


def test_a_secret_given_twice_or_in_a_missing_file_fails(monkeypatch, tmp_path):
    monkeypatch.setenv("TIPIMS_S", "a")
    monkeypatch.setenv("TIPIMS_S_FILE", str(tmp_path / "x"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        config.env_secret("TIPIMS_S")
    monkeypatch.delenv("TIPIMS_S")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        config.env_secret("TIPIMS_S")


def production_env(tmp_path, **extra):
    values = {
        "TIPIMS_ENV": "production",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "TIPIMS_FIELD_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        "TIPIMS_BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "tipims.example.org",
    }
    return isolated_env(tmp_path / "var", **{**values, **extra})


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_tipims("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert "no issues" in result.stdout
    assert not (tmp_path / "var" / "keys").exists()  # production never generates keys


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = production_env(tmp_path)
    del env["TIPIMS_BLIND_INDEX_KEY"]
    result = run_tipims("check", env=env, check=False)
    assert result.returncode != 0
    assert "TIPIMS_BLIND_INDEX_KEY" in result.stderr


def test_a_malformed_field_key_stops_start_up(tmp_path):
    result = run_tipims("check", env=production_env(tmp_path, TIPIMS_FIELD_KEYS="short"), check=False)
    assert result.returncode != 0 and "TIPIMS_FIELD_KEYS key #1" in result.stderr


def test_mfa_is_required_by_default_in_production(tmp_path):
    result = run_tipims(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TIPIMS_REQUIRE_MFA, settings.DEBUG)",
        env=production_env(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "True False"


def test_development_generates_keys_into_var_once(tmp_path):
    env = isolated_env(tmp_path / "var")
    first = run_tipims(
        "shell", "-c", "from django.conf import settings; print(settings.TIPIMS_FIELD_KEYS[0])", env=env
    )
    second = run_tipims(
        "shell", "-c", "from django.conf import settings; print(settings.TIPIMS_FIELD_KEYS[0])", env=env
    )
    assert first.stdout == second.stdout
    key_file = tmp_path / "var" / "keys" / "tipims_field_keys"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
