"""gunicorn settings for production: `gunicorn workup.wsgi -c workup/deploy/gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The app is CPU-bound (templates, the engine) next to a fast database: one process per core
# and one thread each gave the best tail latency on a 2-core machine (see `make bench`).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 1))
timeout = 30
graceful_timeout = 30
# Load the app (and the knowledge base, see workup/wsgi.py) once in the master, then fork: a
# recycled worker starts warm. Recycle rarely: a cold restart of both workers in the middle of
# a busy minute put the review page's p95 over 250 ms (make bench).
preload_app = True
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("ACCESS_LOG", "-")
# URLs carry only opaque ids; no query strings or bodies with patient data are logged.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
