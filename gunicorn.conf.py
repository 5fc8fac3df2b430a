"""Gunicorn for `make serve`: sync workers with persistent database connections.

Measured on a 2-core machine, sync workers with CONN_MAX_AGE were 2-4x faster for our
sync views than ASGI workers (see DESIGN.md). Everything can be set from the environment.
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluatiespiegel.env import envint, envstr  # noqa: E402 - needs the path above

bind = envstr("BIND", f"{envstr('HOST', '127.0.0.1')}:{envint('PORT', 8000, 1, 65535)}")
# One worker per core, at least two. Measured on 2 cores (make bench): the app is CPU-bound,
# and more workers than cores only added contention; with SQLite, 4 or 8 workers made a
# 1000-participant burst's p95 several times worse than 2 (waits for the write lock).
workers = envint("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count()), minimum=1)
threads = envint("GUNICORN_THREADS", 1, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = envint("GUNICORN_TIMEOUT", 60, minimum=1)  # a PDF of a large evaluation takes seconds
graceful_timeout = 20
keepalive = 5
max_requests = envint("GUNICORN_MAX_REQUESTS", 5000, minimum=0)  # 0: never recycle
max_requests_jitter = 500
accesslog = envstr("GUNICORN_ACCESS_LOG") or None
# Redacts /p/<token>/ in access lines (request, URL, referer, Location) and error messages.
logger_class = "evaluatiespiegel.logs.GunicornLogger"
errorlog = "-"
wsgi_app = "evaluatiespiegel.wsgi:application"
# Import the app once in the master: workers fork ready, without paying for the imports
# (WeasyPrint among them) on their first request. No database connection is opened here.
preload_app = True
# gunicorn 23+ opens a control socket at ~/.gunicorn/gunicorn.ctl, one path for every instance
# on the machine (two servers, a bench beside `make serve`): we never use it.
control_socket_disable = True
