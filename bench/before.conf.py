"""gunicorn as the campaign was served before issue 24, for `make bench` to compare with in the
same run: the repository's gunicorn.conf.py, less what that issue changed. Each of 2 x cores + 1
workers, of 4 threads, loads the app and everything it needs on its own (no preload, no
warm-up, no frozen collector).
"""

import gc
import multiprocessing
import runpy
from pathlib import Path

_settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
globals().update({name: value for name, value in _settings.items()
                  if not name.startswith("_") and name not in ("when_ready", "pre_fork",
                                                                "post_fork")})
gc.enable()
preload_app = False
workers = multiprocessing.cpu_count() * 2 + 1
threads = 4
