"""Page response times on the demo: every demo role signs in and loads its pages; prints and saves
median and 95th percentile per page (benchmarks/results/pages.json).

Run with `make bench` (or `.venv/bin/python benchmarks/pages.py [--rounds N]`). It uses a database of
its own in a temporary folder, prepared by `tipims demo --no-serve`, and the real WSGI stack in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "benchmark-password-2026"
PAGES = {
    "coordinator": ["/"],
    "prosecutor": ["/", "/people/", "/people/?sex=Feminine", "/people/{ref}/", "/api/people/?limit=50"],
    "border_officer": ["/", "/people/", "/people/new/"],
    "analyst": ["/", "/people/", "/api/people/?limit=50"],
    "auditor": ["/", "/audit/", "/api/audit/events/?limit=50"],
    "admin": ["/", "/admin/accounts/user/"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tipims-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIPIMS_"))}
    env.update(
        TIPIMS_VAR_DIR=str(folder / "var"), DATABASE_URL=f"sqlite:///{folder / 'var' / 'tipims.sqlite3'}"
    )
    tipims = str(Path(sys.executable).parent / "tipims")
    subprocess.run(
        [tipims, "demo", "--no-serve", "--password", PASSWORD], env=env, check=True, capture_output=True
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipims.settings")

    import django

    django.setup()
    from django.test import Client

    from tipims.people.models import PersonRecord

    reference = PersonRecord.objects.filter(institution__code="mp-fiscalia-trata").first().reference
    results = {}
    for username, pages in PAGES.items():
        client = Client()
        assert client.post("/accounts/login/", {"login": username, "password": PASSWORD}).status_code == 302
        for page in pages:
            url = page.format(ref=reference)
            timings = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (username, url, response.status_code)
            timings.sort()
            results[f"{username} {page}"] = {
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            }
            print(
                f"{username:15} {page:28} median {results[f'{username} {page}']['median_ms']:7.1f} ms   "
                f"p95 {results[f'{username} {page}']['p95_ms']:7.1f} ms"
            )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps({"rounds": args.rounds, "pages": results}, indent=2))
    print(f"saved {out / 'pages.json'}")


if __name__ == "__main__":
    main()
