"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'campaign:create_app()'`.

The values come from the campaign's own settings (campaign/settings.py: BIND, WEB_CONCURRENCY,
THREADS, FORWARDED_ALLOW_IPS, and every CAMPAIGN_* variable), read and checked here before any
worker starts: a bad value stops the server with one line naming it.
"""

import gc
import os
import sys
from typing import Any

from campaign.settings import SettingsError, load

try:
    settings = load(os.environ)
except SettingsError as error:
    sys.exit(f"campaign: {error}")

bind = settings.bind
# The app is loaded once, here in the master, and every worker forked from it shares what it
# loaded (copy-on-write): the data, the catalogs, CLDR's names, the compiled templates, each
# language's arrival page (campaign/web/warmup.py). See when_ready and pre_fork below.
preload_app = True
workers = settings.workers
worker_class = "gthread"
threads = settings.threads
keepalive = 5
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
# The app logs one line per request itself, without IP or query string: no access log here,
# and gunicorn's own error log drops client addresses and request lines (campaign/web/serverlog.py).
accesslog = None
errorlog = "-"
loglevel = "info"
logger_class = "campaign.web.serverlog.PrivateLogger"
forwarded_allow_ips = settings.forwarded_allow_ips


# No collection while the app loads: freed objects would leave holes in pages the workers share.
gc.disable()


def when_ready(server: Any) -> None:
    """In the master, the app loaded, before the first worker forks: render what every worker
    serves, so each shares it rather than making its own."""
    from campaign.web.warmup import warm

    warm(server.app.wsgi())


def pre_fork(server: Any, worker: Any) -> None:
    """Before each fork: move everything the master holds out of the collector's reach, so a
    worker's collections never write to (and so copy) the pages it shares."""
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: collect its own garbage as usual."""
    gc.enable()
