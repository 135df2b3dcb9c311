"""gunicorn's settings for `make serve` and `make demo`: `gunicorn -c bettercare/gunicorn.conf.py`.

Everything a machine needs to say comes from the environment:

    BIND              where to listen (default 127.0.0.1:$PORT, PORT defaulting to 8000); a
                      machine behind a load balancer listens on its own address, 0.0.0.0:8000
    WEB_CONCURRENCY   worker processes (default 2)
    GUNICORN_THREADS  threads per worker (default 8): pages wait on the database, not the CPU
    GUNICORN_TIMEOUT  seconds a request may take before its worker is restarted (default 60)
    GUNICORN_KEEPALIVE  seconds an idle connection is kept open (default 75)
    FORWARDED_ALLOW_IPS  proxies trusted to say the request came over HTTPS (default 127.0.0.1)
    LOG_FORMAT        text or json, as the application's own log (see bettercare.logs)

Static files are served by WhiteNoise inside the application, so gunicorn needs no proxy in
front of it to be complete. Its access log is off: the application logs one line per request
with its duration (bettercare.logs.RequestLogMiddleware), in the same format as every other
line.
"""

import os

from bettercare.logs import logging_config

wsgi_app = "bettercare.wsgi:application"
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than a person's pause between pages, and than a load balancer's idle timeout (often
# 60 s): otherwise the server closes a kept connection just as the client sends on it, and the
# client sees a dropped request (the load test did, with 5 s). An idle connection costs the
# threaded worker no thread.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers are not recycled after a number of requests: without Redis, a pack build runs in a
# thread of the web process and would be cut short.
max_requests = 0
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "text").lower(),
    level=os.environ.get("LOG_LEVEL", "WARNING"),
)
proc_name = "bettercare"
# gunicorn 25's control socket sits at one path per user: several servers on a machine (tests,
# benchmarks, a demo beside the real one) would take it from each other. Signals do its work
# (HUP reloads, TERM stops, TTIN/TTOU add or remove a worker).
control_socket_disable = True
