"""gunicorn as deployed: ``gunicorn -c config/gunicorn.conf.py config.wsgi`` (the Docker
image's command; docs/deployment.md). The command line and GUNICORN_CMD_ARGS override
any value here."""

import os
from pathlib import Path

bind = [os.environ.get("ATLAS_BIND", "127.0.0.1:8000")]
# Sync workers, one request at a time each: 2-4 per core. Each keeps a pool of database
# connections (ATLAS_DB_POOL_SIZE), so workers × pool stay under the server's
# max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A worker is replaced after about a thousand requests (the jitter keeps them from all
# restarting at once): a large export or tile left a worker at 0.5-1 GB, never given back.
max_requests = 1000
max_requests_jitter = 100
# A request still running after a minute is killed (its worker replaced); long work
# belongs off the request. A restart lets running requests finish for 30 s.
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# The workers' heartbeat files: in memory, as a container's disk may be slow.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
