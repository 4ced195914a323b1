"""What gunicorn's master loads before it forks the workers (warmup.py), and what it leaves to
the first request that needs it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from flask import Flask

from campaign.i18n.languages import LANGUAGES
from campaign.web import context
from campaign.web.warmup import warm

DRAWING = ("pygal", "pygal_maps_world", "PIL", "fontTools")  # what few requests need


def test_warm_renders_each_languages_arrival_page_and_closes_the_database(app: Flask) -> None:
    with app.app_context():
        cache = context.data().rendered
        assert len(cache) == 0
        warm(app)
        kept = len(cache)
        assert kept >= len(LANGUAGES)
        assert context.counter().engine.pool.checkedin() == 0  # no connection for a fork
    for language in LANGUAGES:  # a worker's first arrival pages are rendered already
        assert app.test_client().get(f"/{language.code}/").status_code == 200
    with app.app_context():
        assert len(cache) == kept


def test_pages_load_no_drawing_library_until_one_draws() -> None:
    script = textwrap.dedent(f"""
        import json, sys
        from campaign import create_app
        from campaign.web.warmup import warm
        app = create_app({{"TESTING": True, "SECRET_KEY": "test"}})
        warm(app)
        client = app.test_client()
        for path in ("/", "/ko/", "/about", "/privacy", "/impact"):
            assert client.get(path).status_code == 200, path
        before = sorted(m for m in sys.modules if m.split(".")[0] in {DRAWING!r})
        assert client.get("/impact/map.svg").status_code == 200
        assert client.get("/stop-forced-repatriation/card.png").status_code == 200
        after = sorted(m.split(".")[0] for m in sys.modules if m.split(".")[0] in {DRAWING!r})
        print(json.dumps([before, sorted(set(after))]))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    before, after = json.loads(run.stdout.strip().splitlines()[-1])
    assert before == []
    assert after == sorted(DRAWING)
