"""`tipims demo` prepares everything, prints one login per role, and is safe to run twice."""

import pytest

from tests.helpers import isolated_env, run_tipims
from tipims.accounts.roles import Role
from tipims.demo import generator
from tipims.demo.names import EXCLUDED, GIVEN_FEMININE, GIVEN_MASCULINE, SURNAMES


def test_demo_twice_creates_each_role_once_and_prints_the_logins(tmp_path):
    env = isolated_env(tmp_path / "var")
    first = run_tipims("demo", "--no-serve", "--size", "small", "--password", "demo-password-2026", env=env)
    second = run_tipims("demo", "--no-serve", "--size", "small", env=env)
    for role in Role:
        assert f"| {role.value} " in first.stdout
    assert "demo-password-2026" in first.stdout and "demo-password-2026" not in second.stdout
    assert "synthetic people: 650 created" in first.stdout and "created" not in second.stdout
    assert "synthetic victims: 500 created" in first.stdout
    # Some victims are recorded again by other institutions, and linkage finds them.
    assert "linkage:" in first.stdout and "victims recorded again by other institutions" in first.stdout
    unique = (
        "from tipims.statistics.overlaps import victim_records; from tipims.linkage.selectors import unique_persons;"
        "print(victim_records().count(), unique_persons(victim_records()))"
    )
    records, humans = map(int, run_tipims("shell", "-c", unique, env=env).stdout.split()[-2:])
    assert humans < records
    # Running twice adds nothing: the same users and the same records as after the first run.
    count = (
        "from tipims.accounts.models import User; from tipims.people.models import PersonRecord;"
        f"print(User.objects.filter(username__in={[role.value for role in Role]!r}).count(), PersonRecord.objects.count())"
    )
    after_both = run_tipims("shell", "-c", count, env=env).stdout.strip().splitlines()[-1].split()
    assert int(after_both[0]) == len(Role) and int(after_both[1]) >= 650
    run_tipims("demo", "--no-serve", "--size", "small", env=env)
    assert run_tipims("shell", "-c", count, env=env).stdout.strip().splitlines()[-1].split() == after_both
    assert "audit chain intact" in run_tipims("audit", "verify", env=env).stdout


def test_demo_refuses_bad_arguments_with_a_clear_message(tmp_path):
    env = isolated_env(tmp_path / "var")
    short = run_tipims("demo", "--no-serve", "--password", "short", env=env, check=False)
    assert short.returncode != 0 and "at least 12 characters" in short.stderr
    port = run_tipims("demo", "--no-serve", "--port", "70000", env=env, check=False)
    assert port.returncode != 0 and "--port" in port.stderr


def test_the_generator_is_deterministic_and_uses_no_excluded_name():
    import random

    first = [generator.synthetic_person(random.Random(7))[0] for _ in range(3)]
    again = [generator.synthetic_person(random.Random(7))[0] for _ in range(3)]
    assert first == again
    for part in [*GIVEN_FEMININE, *GIVEN_MASCULINE, *SURNAMES]:
        assert part not in EXCLUDED


@pytest.mark.django_db
def test_demo_people_are_spread_over_institutions_with_a_realistic_mix():
    institutions = generator.load_institutions()
    users = {user.username: user for user, _ in generator.load_users(institutions, "demo-password-2026")}
    assert generator.load_people(users) == sum(generator.PERSON_RECORDERS.values())
    from tipims.people.models import PersonRecord

    nationalities = {code for record in PersonRecord.objects.all() for code in record.citizenships}
    assert {"GT", "HN", "SV", "NI"} <= nationalities
    assert PersonRecord.objects.values("institution").distinct().count() == 4
