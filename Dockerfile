# syntax=docker/dockerfile:1
# Inkwell's image: the locked dependencies and Inkwell's own wheel are installed into a virtual environment in
# one stage, which the next stage copies alone, to run as an unprivileged user with no build tools beside it.
# The same image serves the API (the default command), the worker (`inkwell worker`) and migrations
# (`inkwell migrate`); compose.yaml runs all three. Build: `docker build -t inkwell .`
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/inkwell
WORKDIR /build
# Exactly the versions the tests ran with, in a layer of their own that changes only with the lock.
COPY requirements/main.lock requirements/main.lock
RUN /opt/inkwell/bin/pip install --no-deps --requirement requirements/main.lock
COPY pyproject.toml README.md ./
COPY src src
COPY migrations migrations
# The wheel (built by pip from pyproject.toml), never an editable install: the image keeps no source tree.
# `inkwell migrate` must find the migrations packaged in it, or the build stops here rather than at deploy.
RUN /opt/inkwell/bin/pip install --no-deps . \
 && /opt/inkwell/bin/pip check \
 && /opt/inkwell/bin/python -c "from adapters.sql.migrations import MIGRATIONS as m; assert (m / 'env.py').is_file(), m"

FROM ${PYTHON_IMAGE}
# A fixed numeric id, so that an orchestrator can tell it is not root (runAsNonRoot) and volumes can be
# prepared for it. /data holds the exports, which the API and the worker must share (a volume in compose.yaml).
RUN groupadd --system --gid 10001 inkwell \
 && useradd --system --uid 10001 --gid inkwell --home-dir /data --no-create-home --shell /usr/sbin/nologin inkwell \
 && install --directory --owner=inkwell --group=inkwell --mode=0700 /data /data/exports
COPY --from=builder /opt/inkwell /opt/inkwell
ENV PATH=/opt/inkwell/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    INKWELL_PROFILE=production \
    DATA_DIR=/data \
    EXPORT_DIR=/data/exports
USER 10001:10001
WORKDIR /data
EXPOSE 8000
# The slim image has no curl: Python asks the readiness route, which answers 200 only when the database and
# Redis do (urlopen raises on a 503, and the check fails).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8000/health/ready', timeout=4)"]
CMD ["inkwell", "serve", "--host", "0.0.0.0", "--port", "8000"]
