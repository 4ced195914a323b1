"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'campaign:create_app()'`.

The values come from the campaign's own settings (campaign/settings.py: BIND, WEB_CONCURRENCY,
THREADS, FORWARDED_ALLOW_IPS, and every CAMPAIGN_* variable), read and checked here before any
worker starts: a bad value stops the server with one line naming it, and so does, in
production, a contacts.yaml that names no organizers.
"""

import gc
import os
import sys
from typing import Any

from campaign.data.contactsfile import load_contacts
from campaign.data.yamlfile import DataError
from campaign.settings import SettingsError, check_organizers, load

try:
    settings = load(os.environ)
    check_organizers(settings, load_contacts(settings.contacts).organizers is not None)
except (SettingsError, DataError) as error:
    sys.exit(f"campaign: {error}")

bind = settings.bind
# The app is loaded once, here in the master, and every worker forked from it shares what it
# loaded (copy-on-write): the data, the catalogs, CLDR's names, the compiled templates, each
# language's arrival page (campaign/web/warmup.py). See when_ready and pre_fork below.
preload_app = True
# One process per core and one more (WEB_CONCURRENCY), 4 threads each (THREADS), chosen by
# measurement (`.venv/bin/python bench/run.py configs`, 2 cores, nothing else running, load
# average 0.2 at the start): the arrival page and the app's real mix behind nginx (arrival pages
# in every language, one request in five a count), requests per second, p99 ms, and the whole
# deployment's memory once warm (MB of PSS):
#   workers x threads   page  p99   mix  p99   PSS
#   2 x 4               1925   48  1113  105   147
#   3 x 4               2891   55  1742   94   151    <- the default
#   4 x 4               2542   78  1503  191   156
#   5 x 4               2607   83  1557  213   163    (2 x cores + 1, the default before)
#   2 x 1               1966   43  1221   92   147
#   3 x 2               2741   46  1745  109   152
# Python runs one thread at a time per process: a process per core keeps every core busy, and
# the one more runs while another waits on the database or the network; more only add memory
# (about 30 MB of its own once warm, and up to 24 MB of rendered pages), queue requests longer
# (the p99) and render each page again whenever the totals change. Threads overlap the waits.
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
    from campaign.app import CampaignFlask
    from campaign.web.warmup import warm

    app = server.app.wsgi()
    if isinstance(app, CampaignFlask):  # not make bench's hello app, served with this file too
        warm(app)


def pre_fork(server: Any, worker: Any) -> None:
    """Before each fork: move everything the master holds out of the collector's reach, so a
    worker's collections never write to (and so copy) the pages it shares."""
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: collect its own garbage as usual."""
    gc.enable()
