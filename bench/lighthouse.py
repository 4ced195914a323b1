"""`make lighthouse`: Lighthouse's four scores for the pages supporters arrive on, on a phone.

The campaign runs as in production: under gunicorn with gunicorn.conf.py, deploy/nginx.conf in
front of it (compressing, caching), on loopback. Lighthouse (the npm package, `make
lighthouse` installs it into .lighthouse/) opens each page in Debian's Chromium as a mid-range
phone on a slow 4G connection (its default, simulated), and scores performance,
accessibility, best practices and SEO out of 100. The goal is 100 for each (issue 22).

Environment: LIGHTHOUSE (the lighthouse command), CHROME_PATH (/usr/bin/chromium).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, Server, free_port, load_average

sys.path.insert(0, str(ROOT / "tests"))  # the nginx harness the front server's tests use
from support.frontserver import FrontServer  # noqa: E402

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", str(ROOT / ".lighthouse/node_modules/.bin/lighthouse"))
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = ["/", "/ko/?country=KR", "/embed/stop-forced-repatriation"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOAL = 100


def scores(url: str) -> tuple[dict[str, int], list[str]]:
    """Lighthouse's score in each category for one page, and the audits that cost points."""
    for _attempt in range(3):  # Chromium sometimes fails to record a trace: NO_NAVSTART
        run = _lighthouse(url)
        if "NO_NAVSTART" not in run.stderr:
            break
    if run.returncode:
        raise SystemExit(f"lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    report = json.loads(run.stdout)
    found = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    weighed = {ref["id"] for name in CATEGORIES for ref in report["categories"][name]["auditRefs"]
               if ref["weight"] > 0}
    missed = [f"{audit['id']}: {audit.get('displayValue') or audit['title']}"
              for audit in report["audits"].values()
              if audit["id"] in weighed and audit["score"] is not None and audit["score"] < 1]
    return found, missed


def _lighthouse(url: str) -> subprocess.CompletedProcess[str]:
    """One run of Lighthouse on url, its report as JSON on stdout."""
    return subprocess.run(
        [LIGHTHOUSE, url, "--output=json", "--quiet", "--only-categories=" + ",".join(CATEGORIES),
         "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROME})


def main() -> None:
    if not Path(LIGHTHOUSE).exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: `make lighthouse` installs it")
    with tempfile.TemporaryDirectory(prefix="campaign-lighthouse-") as workdir:
        port = free_port()
        nginx = FrontServer(Path(workdir) / "nginx", port)
        # The public address is nginx's: the page's canonical and share links point where
        # Lighthouse opened it.
        campaign = Server("campaign:create_app()",
                          {"DATABASE_URL": f"sqlite:///{workdir}/counts.db",
                           "CAMPAIGN_PROXIES": "1", "CAMPAIGN_PUBLIC_URL": nginx.url,
                           "CAMPAIGN_TRUSTED_HOSTS": f"127.0.0.1:{port}"}, ROOT, port=port)
        rows = []
        try:
            with nginx:
                print(f"{os.cpu_count()} cores, {load_average()}; Lighthouse on a phone, "
                      f"through deploy/nginx.conf", file=sys.stderr)
                for path in PAGES:
                    rows.append((path, *scores(nginx.url + path)))
                    print(f"{path}: {rows[-1][1]}", file=sys.stderr)
        finally:
            campaign.stop()
    print(f"\n{'page':<36}" + "".join(f"{name:>16}" for name in CATEGORIES) + "   (goal: "
          f"{GOAL} each)")
    for path, found, _missed in rows:
        print(f"{path:<36}" + "".join(
            f"{found[name]:>12} {'ok ' if found[name] >= GOAL else 'low'}" for name in CATEGORIES))
    for path, _found, missed in rows:
        for audit in missed:
            print(f"  {path}: {audit}")
    print(f"\nload after: {load_average()}")


if __name__ == "__main__":
    main()
