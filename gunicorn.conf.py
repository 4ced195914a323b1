"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'campaign:create_app()'`.

The values come from the campaign's own settings (campaign/settings.py: BIND, WEB_CONCURRENCY,
THREADS, FORWARDED_ALLOW_IPS, and every CAMPAIGN_* variable), read and checked here before any
worker starts: a bad value stops the server with one line naming it, and so does, in
production, a contacts.yaml that names no organizers.
"""

import os
import sys

from campaign.data.contactsfile import load_contacts
from campaign.data.yamlfile import DataError
from campaign.settings import SettingsError, check_organizers, load

try:
    settings = load(os.environ)
    check_organizers(settings, load_contacts(settings.contacts).organizers is not None)
except (SettingsError, DataError) as error:
    sys.exit(f"campaign: {error}")

bind = settings.bind
# Sync Python work per request: a few processes per core, a few threads each for slow clients.
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
