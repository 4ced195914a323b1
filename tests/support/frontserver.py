"""deploy/nginx.conf, run on loopback: for the front server's tests and `make bench`.

The deployed file is used as it is, with only what a machine-local run must change: its
ports, and its cache, log and error pages' paths (into a temporary folder, no root paths).
The error pages are written there as a deploy writes them, by `campaign errorpages`. Each change
must find its line exactly as often as expected, so an edit to the file that these changes
no longer fit fails loudly instead of testing something else. Around it goes the little of
Debian's /etc/nginx/nginx.conf an http block needs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from campaign import ROOT

CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = "/usr/sbin/nginx"
# What Debian's nginx.conf puts around conf.d/*.conf, with every path in `folder`.
MAIN = """\
{user}worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{
    worker_connections 768;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    gzip on;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/campaign.conf;
}}
"""


class ConfigChanged(Exception):
    """deploy/nginx.conf no longer has a line the local run must change."""


def nginx_binary() -> str | None:
    """Debian's nginx, if installed."""
    return shutil.which("nginx") or (NGINX if os.path.exists(NGINX) else None)


def local_config(text: str, port: int, upstream: int, folder: Path, host: str = "127.0.0.1",
                 changes: dict[str, str] | None = None, extra: str = "") -> str:
    """deploy/nginx.conf listening on loopback `port` for `host`, in front of gunicorn on
    `upstream`, caching and logging into `folder`; `changes` replaces more text (each must be
    found), `extra` goes at the end of the campaign's server block."""
    replacements = [
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream};", 1),
        (r"proxy_cache_path /var/cache/nginx/campaign ", f"proxy_cache_path {folder}/cache ", 1),
        (r"/var/log/nginx/", f"{folder}/", 2),
        (r"alias /var/www/campaign-errors/;", f"alias {folder}/errors/;", 1),
        (r"root /var/www/campaign-errors;", f"root {folder}/errors;", 1),
        (r"listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;", 1),
        (r"\n\s*listen \[::\]:80 default_server;", "", 1),
        (r"server_name letters\.example\.org;", f"server_name {host};", 1),
        *((re.escape(old), new, 1) for old, new in (changes or {}).items()),
    ]
    for pattern, new, expected in replacements:
        text, found = re.subn(pattern, new.replace("\\", "\\\\"), text)  # new, as it is
        if found != expected:
            raise ConfigChanged(f"deploy/nginx.conf: {pattern!r} found {found} times, "
                                f"not {expected}")
    if extra:
        end = text.rstrip().rfind("}")
        text = text[:end] + extra + "\n" + text[end:]
    return text


def write_error_pages(folder: Path) -> None:
    """nginx's own answers, written as a deploy writes them (README: Deploy)."""
    command = Path(sys.executable).parent / "campaign"
    run = subprocess.run([str(command), "errorpages", str(folder)], capture_output=True,
                         text=True)
    if run.returncode:
        raise RuntimeError(f"campaign errorpages failed:\n{run.stderr}")


class FrontServer:
    """nginx running deploy/nginx.conf on a free loopback port, in its own folder, answering
    for `host` (its server_name)."""

    def __init__(self, folder: Path, upstream: int, workers: str = "auto",
                 changes: dict[str, str] | None = None, extra: str = "",
                 host: str = "127.0.0.1") -> None:
        binary = nginx_binary()
        if binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
        self.binary, self.folder = binary, folder
        folder.mkdir(parents=True, exist_ok=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        (folder / "campaign.conf").write_text(local_config(
            CONFIG.read_text(), self.port, upstream, folder, host, changes, extra))
        # As root (CI), workers would drop to `nobody`, who may not write in the folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(MAIN.format(user=user, workers=workers,
                                                       folder=folder))
        write_error_pages(folder / "errors")
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str) -> list[str]:
        """nginx with this folder's configuration."""
        return [self.binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                "-e", str(self.folder / "error.log"), *args]

    def check(self) -> str:
        """`nginx -t` on the configuration: raise with nginx's words if it is refused."""
        run = subprocess.run(self.command("-t"), capture_output=True, text=True)
        if run.returncode:
            raise RuntimeError(run.stderr)
        return run.stderr

    def __enter__(self) -> FrontServer:
        self.check()
        self.process = subprocess.Popen(self.command("-g", "daemon off;"),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("nginx did not start:\n" + self.error_log())

    def error_log(self) -> str:
        """What nginx logged."""
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
