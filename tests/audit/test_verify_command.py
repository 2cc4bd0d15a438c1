"""The operator's view: a row of the demo's audit table edited with the sqlite3 shell (triggers dropped
first) makes `tipims audit verify` fail and name that event."""

import sqlite3

from tests.helpers import isolated_env, run_tipims


def test_an_audit_row_edited_by_hand_is_named_by_verify(tmp_path):
    env = isolated_env(tmp_path / "var")
    run_tipims("demo", "--no-serve", "--size", "small", "--password", "demo-password-2026", env=env)
    intact = run_tipims("audit", "verify", env=env)
    assert "audit chain intact" in intact.stdout

    database = sqlite3.connect(tmp_path / "var" / "tipims.sqlite3")
    database.executescript(
        "DROP TRIGGER audit_event_no_update;"
        "UPDATE audit_auditevent SET actor_username = 'nobody' WHERE seq = 42;"
    )
    database.commit()
    database.close()

    broken = run_tipims("audit", "verify", env=env, check=False)
    assert broken.returncode == 1
    assert "event #42" in broken.stderr
    assert "altered" in broken.stderr
