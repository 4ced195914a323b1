"""Write every page, in every language, and every organizers' command's output into a folder.

For a change that should change nothing a supporter or an organizer sees (a reorganization):
run it before and after, then compare the two folders.

    .venv/bin/python scripts/snapshot.py /tmp/before
    ... the change ...
    .venv/bin/python scripts/snapshot.py /tmp/after && diff -r /tmp/before /tmp/after

It uses the shipped contacts.yaml and letters/ and an empty SQLite counter; what changes from
run to run by design (count tokens, chart ids, load times, file dates) is masked.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path

SITE = "https://letters.example.org"
DATABASE = Path("/tmp/campaign-snapshot-counts.db")
MASKS = [(rb'value="[A-Za-z0-9_\-\.]{40,}"', b'value="TOKEN"'),  # count tokens
         (rb"chart-[0-9a-f-]{36}", b"chart-ID"),  # pygal's ids
         (rb'"loaded_at":"[^"]*"', b'"loaded_at":"T"')]
UNSTABLE_HEADERS = {"date", "etag", "last-modified"}  # of files served from disk


def main(out: Path) -> None:
    """Write the snapshot."""
    out.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ.update(DATABASE_URL=f"sqlite:///{DATABASE}", CAMPAIGN_PUBLIC_URL=SITE)
    from campaign import create_app

    client = create_app({"TESTING": True, "SECRET_KEY": "snapshot"}).test_client()
    index = []

    def keep(kind: str, name: str, status: int, headers: dict[str, str], body: bytes) -> None:
        for pattern, mask in MASKS:
            body = re.sub(pattern, mask, body)
        shown = sorted((k, v) for k, v in headers.items() if k.lower() not in UNSTABLE_HEADERS)
        index.append(f"{kind} {name} {status} {hashlib.sha256(body).hexdigest()[:16]} {shown}")
        out.joinpath(re.sub(r"[^A-Za-z0-9]+", "_", f"{kind}_{name}")[:150]).write_bytes(body)

    slug = client.get("/healthz", base_url=SITE).get_json()["default_letter"]
    languages = [""] + [f"/{code}" for code in ("en", "ko", "ja", "zh-hans", "zh-hant", "fr",
                                                   "de", "es", "pt", "ar", "ru", "id")]
    paths = ["/robots.txt", "/favicon.ico", "/embed.js", "/qr.svg", "/qr.png", "/stats.json",
             "/healthz", "/assets/nope.css"]
    for lang in languages:
        paths += [f"{lang}/{page}" for page in (
            "", f"{slug}/", f"embed/{slug}", "about", "privacy", "impact", "impact/map.svg",
            "impact/days.svg", "impact/days-narrow.svg", f"{slug}/flyer", f"{slug}/flyer-font.css",
            f"{slug}/card.png", "no-such-page/", "?country=US", "?country=US&region=NY",
            "?country=TH", "?country=BR&src=x", "about?country=KR", f"embed/{slug}?country=KR")]
    for accept in ("en", "ko", "fr-CA,fr;q=0.9"):
        for path in paths:
            response = client.get(path, base_url=SITE, headers={"Accept-Language": accept})
            keep("GET", f"{accept} {path}", response.status_code, dict(response.headers),
                 response.data)
    posts = [
        {"country": "US", "region": "NY", "name": "Ana", "city": "Boston", "subject": "Mine",
         "offered": "x", "own_words": "Hi"},
        {"country": "KR", "name": "김", "city": "서울", "subject": "제목", "offered": "x"},
        {"country": "TH", "region": "th-embassy", "name": "A", "city": "B", "subject": "S",
         "offered": "x"},
        {"country": "BR", "name": "A", "city": "B", "subject": "S", "offered": "x",
         "extra_to": "a@b.org"},
        {"country": "", "name": "", "city": ""},
        {"country": "US", "name": "<x>", "city": "B\u0000", "subject": "S", "offered": "x"},
    ]
    for lang in ("", "/ko", "/fr"):
        for number, form in enumerate(posts):
            for path in (f"{lang}/", f"{lang}/embed/{slug}", f"{lang}/{slug}/go/mailto",
                         f"{lang}/{slug}/go/gmail", f"{lang}/{slug}/sent"):
                random.seed(1)  # the subject picked for a supporter who kept the offered one
                response = client.post(path, data=form, base_url=SITE, headers={"Origin": SITE})
                keep("POST", f"{path} {number}", response.status_code, {}, response.data)
    out.joinpath("index.txt").write_text("\n".join(index) + "\n")

    commands = [["--help"], ["check"], ["coverage"], ["coverage", "--csv"], ["stats"],
                ["stats", "--by", "country"], ["suggestions"], ["suggestions", "--csv"],
                ["link", "--country", "KR"],
                ["link", "--country", "US", "--lang", "ko"], ["embed", "--letter", slug],
                ["preview", "--country", "US", "--region", "NY", "--name", "A", "--city", "B",
                 "--subject", "S"],
                ["preview", "--country", "KR", "--name", "A", "--city", "B", "--subject", "S",
                 "--json"]]
    commands += [[name, "--help"] for name in ("check", "coverage", "link", "preview", "embed",
                                                "stats", "suggestions", "settings")]
    program = Path(sys.executable).with_name("campaign")
    lines = []
    for arguments in commands:
        run = subprocess.run([str(program), *arguments], capture_output=True, text=True)
        lines.append(f"$ campaign {' '.join(arguments)} -> {run.returncode}\n{run.stdout}\n"
                     f"[stderr]\n{run.stderr}")
    out.joinpath("commands.txt").write_text("\n".join(lines))
    print(f"{len(index)} responses and {len(commands)} commands in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
