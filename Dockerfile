# The service's images, one file, three targets (docker build --target NAME):
#   api      uvicorn serving the API
#   worker   Celery workers for every queue but compile, beat, Flower, the admin one-shots
#   compile  the worker plus TeX Live, for the compile queue only
# Every command below is the command docker-compose.yml runs and tests/deploy/test_compose.py
# starts as a process. Nothing writes to the root filesystem at run time: /tmp (and, for
# compile, the TeX cache) are volumes the deployment mounts.

# ------------------------------------------------------------------ build: the virtualenv
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY pipeline ./pipeline
COPY workers ./workers
COPY api ./api
# Every dependency installs from a wheel, so no compiler is needed even here. The venv has no
# pip of its own: the runtime images carry no installer.
RUN python -m venv --without-pip /opt/venv \
 && pip --python /opt/venv/bin/python install .

# ------------------------------------------------------------------ runtime: what all share
FROM python:3.11.11-slim-bookworm AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    HOME=/tmp
# No installer in the final images, and an unprivileged user with a fixed id (Kubernetes'
# runAsUser and compose's user refer to it).
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /tmp \
        --shell /usr/sbin/nologin app
WORKDIR /tmp

# ------------------------------------------------------------------ api
FROM runtime AS api
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
ENV UVICORN_HOST=0.0.0.0 UVICORN_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('UVICORN_PORT', '8000'), timeout=4)"]
CMD ["uvicorn", "api.app:create_app", "--factory", "--no-access-log"]

# ------------------------------------------------------------------ worker (no TeX)
FROM runtime AS worker
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
# Deployments that name their nodes (`-n parse@%h`) ping that name instead.
HEALTHCHECK --interval=60s --timeout=20s --start-period=60s --retries=3 \
    CMD ["sh", "-c", "exec celery -A workers inspect ping --timeout 10 -d \"celery@$HOSTNAME\""]
CMD ["celery", "-A", "workers", "worker", "-Q", "parse,score,rewrite,upload,webhooks", "-P", "prefork", "-c", "1", "-O", "fair", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]

# ------------------------------------------------------------------ compile (worker + TeX)
FROM runtime AS compile
# The same Debian packages `make tex` installs, from the same script.
COPY scripts/install-tex.sh /usr/local/share/resume-tailor/install-tex.sh
RUN bash /usr/local/share/resume-tailor/install-tex.sh \
 && rm -rf /var/lib/apt/lists/* /usr/local/share/resume-tailor \
 && mkdir -p /var/cache/resume-tailor \
 && chown 10001:10001 /var/cache/resume-tailor
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
# TeX formats, font cache and template calibrations: a volume, shared by the pool's processes.
ENV RT_TEX_CACHE_DIR=/var/cache/resume-tailor/latex
VOLUME ["/var/cache/resume-tailor"]
HEALTHCHECK --interval=60s --timeout=20s --start-period=120s --retries=3 \
    CMD ["sh", "-c", "exec celery -A workers inspect ping --timeout 10 -d \"celery@$HOSTNAME\""]
CMD ["celery", "-A", "workers", "worker", "-Q", "compile", "-P", "prefork", "-c", "2", "-O", "fair", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
