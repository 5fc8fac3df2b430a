"""`make serve`: nginx in front, gunicorn behind it on a unix socket, the report worker, and
a memcached for the room versions (sessions/live.py) that every gunicorn worker shares.

Why nginx: gunicorn's sync workers read a request themselves, so two clients that send one
header line every few seconds hold both workers and the room stalls (issue 9.13). nginx
reads and buffers whole requests (and whole answers) before gunicorn sees them, and drops
clients that dawdle (`client_header_timeout`). Debian's nginx is started from here with its
own configuration in a temporary folder: nothing is installed as a system service.

Usage: python -m evaluatiespiegel.serve   (HOST, PORT, WEB_CONCURRENCY as for gunicorn;
SERVE_PROXY=0 runs gunicorn directly, only for comparison in `make bench`.)
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
MEMCACHED_CANDIDATES = ("memcached", "/usr/bin/memcached")

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log stderr error;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    # A client that does not finish its request line and headers (or body) in 10 s is
    # dropped; it never reaches a gunicorn worker.
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    keepalive_timeout 15s;
    client_max_body_size 20m;
    upstream app {{ server unix:{socket}; }}
    server {{
        listen {listen};
        # What nginx answers itself gets the app's Dutch pages (evaluatiespiegel/errors.py).
        error_page 400 494 /_fout/400.html;
        error_page 405 /_fout/405.html;
        error_page 408 /_fout/408.html;
        error_page 413 /_fout/413.html;
        error_page 414 /_fout/414.html;
        error_page 500 /_fout/500.html;
        error_page 502 /_fout/502.html;
        error_page 503 /_fout/503.html;
        error_page 504 /_fout/504.html;
        location /_fout/ {{ internal; root {run}; }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For {forwarded_for};
            proxy_set_header X-Forwarded-Proto {forwarded_proto};
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """The nginx to start, or None when it is not installed."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def nginx_config(*, listen: str, socket_path: str, run: str, outer_proxy: bool) -> str:
    """The configuration text. With `outer_proxy` (DJANGO_BEHIND_PROXY=1: an HTTPS proxy in
    front of us) the client address and scheme it sends are passed on; otherwise nginx is
    the edge and overwrites them, so a client cannot choose its own address for throttling.
    """
    return NGINX_CONF.format(
        run=run,
        socket=socket_path,
        listen=listen,
        user="user nobody nogroup;" if os.geteuid() == 0 else "",
        forwarded_for="$proxy_add_x_forwarded_for" if outer_proxy else "$remote_addr",
        forwarded_proto="$http_x_forwarded_proto" if outer_proxy else "$scheme",
    )


def memcached_binary() -> str | None:
    """The memcached to start, or None when it is not installed."""
    for candidate in MEMCACHED_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _start_memcached(run: str, out) -> tuple[subprocess.Popen, str]:
    """A private memcached on a unix socket in `run` (no network port): (process, location).

    Small on purpose: it holds a few short version strings per evaluation and login.
    """
    binary = memcached_binary()
    if binary is None:
        raise RuntimeError(
            "memcached ontbreekt; installeer het met: sudo apt-get install memcached"
        )
    folder = f"{run}/memcached"
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o777)  # memcached drops to nobody when we are root
    path = f"{folder}/memcached.sock"
    command = [binary, "-s", path, "-a", "0700", "-m", "32", "-c", "4096", "-t", "1"]
    if os.geteuid() == 0:
        command += ["-u", "nobody"]
    process = subprocess.Popen(
        command,
        stdout=out,
        stderr=subprocess.PIPE if out is not None else None,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with _unix_connect(path)() as s:
                s.settimeout(2)
                s.sendall(b"version\r\n")
                if s.recv(64).startswith(b"VERSION"):
                    return process, f"unix:{path}"
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            error = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"memcached start niet: {error}")
        time.sleep(0.05)


def _listen(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class Stack:
    """The running processes of one server, front to back."""

    url: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    memcached: str = ""  # DJANGO_MEMCACHED of the server: where its room versions are

    def gunicorn_pids(self) -> list[int]:
        return [self.processes["gunicorn"].pid]

    def failed(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None


def _wait_healthy(connect, deadline: float, process: subprocess.Popen, what: str) -> None:
    while True:
        try:
            with connect() as s:
                s.settimeout(2)
                s.sendall(b"GET /gezond/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if b" 200 " in s.recv(64):
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            error = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"{what} start niet: {error}")
        time.sleep(0.1)


def _unix_connect(path: str):
    def connect():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        return s

    return connect


@contextmanager
def stack(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    env: dict | None = None,
    workers: int | None = None,
    proxy: bool = True,
    worker: bool = True,
    quiet: bool = False,
) -> Iterator[Stack]:
    """Start the server (nginx → gunicorn, and the report worker); stop all of it at the end.

    `proxy=False` starts gunicorn on host:port directly (for comparison only). Raises
    RuntimeError when a part does not start, naming it.
    """
    env = dict(os.environ if env is None else env)
    outer_proxy = env.get("DJANGO_BEHIND_PROXY", "") not in ("", "0")
    run = tempfile.mkdtemp(prefix="spiegel-serve-")
    os.chmod(run, 0o755)  # nginx's workers run as nobody when we are root
    socket_path = f"{run}/gunicorn.sock"
    out = subprocess.DEVNULL if quiet else None
    started = Stack(url=f"http://{_listen(host, port)}")
    processes = started.processes
    try:
        if not env.get("DJANGO_MEMCACHED"):
            # The operator's own memcached (DJANGO_MEMCACHED set) is used as it is.
            processes["memcached"], env["DJANGO_MEMCACHED"] = _start_memcached(run, out)
        started.memcached = env["DJANGO_MEMCACHED"]
        bind = f"unix:{socket_path}" if proxy else _listen(host, port)
        gunicorn_env = dict(env)
        if proxy and not outer_proxy:
            gunicorn_env["DJANGO_BEHIND_PROXY"] = "1"  # nginx sets X-Forwarded-For itself
        if proxy:
            # Our nginx is one more trusted proxy behind the operator's (DJANGO_PROXY_COUNT,
            # one by default with DJANGO_BEHIND_PROXY): the client is one entry further left.
            outer = env.get("DJANGO_PROXY_COUNT", "").strip()
            if outer.isdigit() or not outer:
                count = int(outer) if outer else (1 if outer_proxy else 0)
                gunicorn_env["DJANGO_PROXY_COUNT"] = str(count + 1)
        command = [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
        command += ["--bind", bind]
        if workers:
            command += ["--workers", str(workers)]
        processes["gunicorn"] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=gunicorn_env,
            stdout=out,
            stderr=subprocess.PIPE if quiet else None,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        if proxy:
            _wait_healthy(_unix_connect(socket_path), deadline, processes["gunicorn"], "gunicorn")
            binary = nginx_binary()
            if binary is None:
                raise RuntimeError(
                    "nginx ontbreekt; installeer het met: sudo apt-get install nginx-light"
                )
            for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                os.makedirs(f"{run}/{folder}", mode=0o777, exist_ok=True)
                os.chmod(f"{run}/{folder}", 0o777)
            subprocess.run(
                [
                    PYTHON,
                    "-c",
                    "import django; django.setup(); from evaluatiespiegel.errors import "
                    f"write_static_pages; write_static_pages({run + '/_fout'!r})",
                ],
                cwd=ROOT,
                env={"DJANGO_SETTINGS_MODULE": "evaluatiespiegel.settings", **gunicorn_env},
                check=True,
            )
            conf = Path(run) / "nginx.conf"
            conf.write_text(
                nginx_config(
                    listen=_listen(host, port),
                    socket_path=socket_path,
                    run=run,
                    outer_proxy=outer_proxy,
                )
            )
            processes["nginx"] = subprocess.Popen(
                [binary, "-p", run, "-c", str(conf), "-e", "stderr"],
                stdout=out,
                stderr=subprocess.PIPE if quiet else None,
                start_new_session=True,
            )
        connect_host = "127.0.0.1" if host in ("0.0.0.0", "") else host.strip("[]")
        front = processes.get("nginx", processes["gunicorn"])
        _wait_healthy(
            lambda: socket.create_connection((connect_host, port), timeout=2),
            deadline,
            front,
            "nginx" if proxy else "gunicorn",
        )
        if worker:
            # The report worker yields the CPU to the web workers that serve the room.
            processes["worker"] = subprocess.Popen(
                ["nice", "-n", "10", PYTHON, "manage.py", "db_worker", "--no-reload", "-v0"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        yield started
    finally:
        for name in ("worker", "nginx", "gunicorn", "memcached"):
            process = processes.get(name)
            if process is None:
                continue
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(run, ignore_errors=True)


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    proxy = os.environ.get("SERVE_PROXY", "1") != "0"
    stop = {"signal": False}

    def request_stop(*_args):
        stop["signal"] = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        with stack(host=host, port=port, proxy=proxy) as running:
            front = "nginx → gunicorn" if proxy else "gunicorn (zonder nginx)"
            print(f"Evaluatiespiegel (productie, {front}) op {running.url}/", flush=True)
            while not stop["signal"]:
                failed = running.failed()
                if failed:
                    print(f"{failed} is gestopt; de server stopt ook.", file=sys.stderr)
                    sys.exit(1)
                time.sleep(0.5)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
