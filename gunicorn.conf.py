"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'campaign:create_app()'`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS, or the variables below).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync Python work per request: a few processes per core, a few threads each for slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", 4))
keepalive = 5
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
# The app logs one line per request itself, without IP or query string: no access log here.
accesslog = None
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
