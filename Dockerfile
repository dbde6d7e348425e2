# Đôn Đốc in a container, for those who deploy with Docker (docs/deploy.md, "Docker
# Compose"; compose.yaml runs it behind nginx on PostgreSQL). The same program as the
# systemd setup: `dondoc run` as a user without privileges, every setting from the
# environment (deploy/dondoc.env.example), /healthz for the container's health.
#   docker build -t dondoc .
#   docker run --rm dondoc --help

# Debian 12, as the guide's servers: the system packages below are the guide's.
FROM python:3.11-slim-bookworm

# LibreOffice reads .doc/.xls/.ods plans and renders the Word report (with a Times New
# Roman twin that has Vietnamese letters), Tesseract reads scanned plans, poppler gives
# PDF pages, pg_dump/pg_restore make and restore backups. Debian 12's PostgreSQL client is
# 15: `dondoc backup` refuses a newer server (compose.yaml runs PostgreSQL 15).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2 \
        tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The service user, as on a server. Its uid is fixed so that volumes keep their owner
# across rebuilds (compose.yaml's backup folder on the host belongs to it).
# /var/lib/dondoc is the working directory; /var/backups/dondoc is where backups go.
RUN groupadd --system --gid 10001 dondoc \
    && useradd --system --uid 10001 --gid dondoc --home-dir /var/lib/dondoc \
        --shell /usr/sbin/nologin dondoc \
    && install -d -o dondoc -g dondoc -m 0750 /var/lib/dondoc /var/backups/dondoc

# The package, installed as the guide installs it (a plain pip install into a venv);
# .dockerignore sends only what the package is built from.
COPY . /tmp/dondoc-src
RUN python -m venv /opt/dondoc/.venv \
    && /opt/dondoc/.venv/bin/pip install /tmp/dondoc-src \
    && rm -rf /tmp/dondoc-src
ENV PATH=/opt/dondoc/.venv/bin:$PATH

# Inside a container the web app (webhook, /healthz, /readyz, /metrics) must listen on
# every interface for a published port to reach it: publish it on the host's 127.0.0.1
# only (compose.yaml does), nginx is the only door from outside.
ENV DONDOC_LISTEN=0.0.0.0:8080
EXPOSE 8080

USER dondoc
WORKDIR /var/lib/dondoc

# The process is alive: /healthz on the port DONDOC_LISTEN names (whatever it is set to).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; from bot.config import Settings; host, port = Settings().listen_address; host = {'0.0.0.0': '127.0.0.1', '::': '::1'}.get(host, host); host = f'[{host}]' if ':' in host else host; urllib.request.urlopen(f'http://{host}:{port}/healthz', timeout=5)"]

# `docker run IMAGE` runs the bot; `docker run IMAGE db upgrade` (or any other dondoc
# command) runs that command instead. SIGTERM lets the updates in hand finish.
ENTRYPOINT ["dondoc"]
CMD ["run"]
