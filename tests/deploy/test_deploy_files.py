"""The deployment files in deploy/ as an IT department installs them: nginx's own syntax
check of deploy/nginx.conf (with its documented placeholders rendered to test paths),
``systemd-analyze verify`` of deploy/dondoc@.service, and the environment file template
against the settings the code reads. A check whose tool is missing is skipped, saying so
(``.ci/run`` installs nginx)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import Settings
from tests import cluster

DEPLOY = cluster.DEPLOY
NGINX_CONF = cluster.NGINX_CONF
UNIT = DEPLOY / "dondoc@.service"
ENV_EXAMPLE = DEPLOY / "dondoc.env.example"

# The placeholders deploy/nginx.conf documents in its header.
DOMAIN = "bot.example.gov.vn"
CERT = f"/etc/letsencrypt/live/{DOMAIN}/fullchain.pem"
KEY = f"/etc/letsencrypt/live/{DOMAIN}/privkey.pem"
EXECUTABLE = "/opt/dondoc/.venv/bin/dondoc"


def _nginx_test(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``text`` included, as on Debian, in a minimal main configuration
    whose pid, logs and temporary files are under ``tmp_path``."""
    try:
        nginx = cluster.nginx_binary()
        cert, key = cluster.self_signed(tmp_path)
    except cluster.Unavailable as missing:
        pytest.skip(str(missing))
    site = tmp_path / "dondoc.conf"
    site.write_text(text.replace(CERT, str(cert)).replace(KEY, str(key)), encoding="utf-8")
    main = cluster.nginx_main_conf(tmp_path, site)
    return subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nginx_conf_passes_nginx_own_check(tmp_path: Path) -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert CERT in text and KEY in text, "the documented certificate placeholders moved"
    done = _nginx_test(tmp_path, text)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr
    # No warning either (an obsolete directive, a duplicate, a conflicting server name).
    assert "[warn]" not in done.stderr, done.stderr


def test_nginx_check_catches_a_broken_file(tmp_path: Path) -> None:
    """The check above can fail: the same file with a directive misspelt does."""
    text = NGINX_CONF.read_text(encoding="utf-8").replace("proxy_read_timeout", "proxy_rad_timeout")
    done = _nginx_test(tmp_path, text)
    assert done.returncode != 0
    assert "proxy_rad_timeout" in done.stderr


def _location(text: str, match: str) -> str:
    """The body of ``location <match> {…}`` (one level of nested braces)."""
    found = re.search(r"location\s+" + re.escape(match) + r"\s*\{((?:[^{}]|\{[^{}]*\})*)\}", text)
    assert found, f"no location {match}"
    return found.group(1)


def test_nginx_conf_routes() -> None:
    """What the guide and the units rely on: the instances of the units' ports, the
    webhook under /tg/ with the secret header and a retry on another instance, /metrics
    for this machine only, a body limit, and answers well within Telegram's 60 s."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server\s+127\.0\.0\.1:(\d+)\s+max_fails=\d+", text, re.M)
    assert servers == ["8081", "8082", "8083"]
    hook = _location(text, "/tg/")
    assert "proxy_pass http://dondoc;" in hook
    assert "X-Telegram-Bot-Api-Secret-Token $http_x_telegram_bot_api_secret_token" in hook
    assert "non_idempotent" in hook
    seconds = int(re.search(r"proxy_next_upstream_timeout\s+(\d+)s", hook).group(1))
    assert seconds < 60
    metrics = _location(text, "= /metrics")
    assert re.search(r"allow 127\.0\.0\.1;.*deny all;", metrics, re.S)
    assert "client_max_body_size 1m;" in text
    assert _location(text, "= /healthz") and _location(text, "= /readyz")


def _render_unit(tmp_path: Path) -> Path:
    """The unit with its one machine-specific path (the executable) pointed at this
    checkout's ``dondoc``: verify checks that ExecStart exists."""
    executable = Path(sys.executable).with_name("dondoc")
    if not executable.exists():
        pytest.skip(f"no dondoc executable beside {sys.executable} (run `make install`)")
    text = UNIT.read_text(encoding="utf-8")
    assert EXECUTABLE in text
    unit = tmp_path / UNIT.name
    unit.write_text(text.replace(EXECUTABLE, str(executable)), encoding="utf-8")
    return unit


def _systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (it comes with systemd)")
    return tool


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    tool = _systemd_analyze()
    unit = _render_unit(tmp_path)
    done = subprocess.run(
        [tool, "verify", str(unit.with_name("dondoc@8081.service"))],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    # verify exits 0 on an unknown key but prints it: nothing about our unit may appear.
    ours = [line for line in done.stderr.splitlines() if "dondoc" in line]
    assert done.returncode == 0 and not ours, done.stderr
    text = unit.read_text(encoding="utf-8")
    assert "Environment=DONDOC_LISTEN=127.0.0.1:%i" in text
    assert "EnvironmentFile=/etc/dondoc/dondoc.env" in text
    assert "db upgrade" not in text.split("[Service]")[1].split("#")[0]


def test_systemd_unit_is_hardened(tmp_path: Path) -> None:
    """systemd's own exposure score of the unit (lower is safer; 10 is unprotected)."""
    tool = _systemd_analyze()
    unit = _render_unit(tmp_path)
    done = subprocess.run(
        [
            tool,
            "security",
            "--offline=true",
            "--no-pager",
            str(unit.with_name("dondoc@8081.service")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    score = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout + done.stderr)
    if score is None:
        pytest.skip(f"this systemd-analyze cannot score a unit file offline: {done.stderr[:200]}")
    assert float(score.group(1)) <= 4.0, done.stdout


def test_env_example_names_every_setting_and_loads(tmp_path: Path) -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    written = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.M))
    known = {field.alias for field in Settings.model_fields.values()}
    assert known - written == set(), "settings missing from deploy/dondoc.env.example"
    assert written - known == set(), "names the code does not read"
    # Secrets are left empty; the unit sets DONDOC_LISTEN, so the file must not.
    for secret in ("TELEGRAM_BOT_TOKEN", "DONDOC_WEBHOOK_SECRET"):
        assert re.search(rf"^{secret}=$", text, re.M), secret
    assert not re.search(r"^DONDOC_LISTEN=", text, re.M)
    # Filled in, it is a valid configuration in webhook mode.
    filled = text.replace("TELEGRAM_BOT_TOKEN=\n", "TELEGRAM_BOT_TOKEN=1:abc\n").replace(
        "DONDOC_WEBHOOK_SECRET=\n", "DONDOC_WEBHOOK_SECRET=s3cret_-\n"
    )
    env = tmp_path / "dondoc.env"
    env.write_text(filled, encoding="utf-8")
    settings = Settings(_env_file=env)
    assert settings.webhook_path.startswith("/tg/")
    assert settings.webhook_secret == SecretStr("s3cret_-")
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.log_format == "json"


def test_the_installed_package_carries_the_catalogues() -> None:
    """``pip install`` (not editable), as the guide and the Dockerfile install it, must put
    locales/ beside bot/ where bot/i18n.py reads it: without it `dondoc --help` fails."""
    import fnmatch
    import tomllib

    from bot.i18n import LOCALES_DIR

    root = DEPLOY.parent
    assert root / "locales" == LOCALES_DIR
    tool = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    included = tool["setuptools"]["packages"]["find"]["include"]
    assert any(fnmatch.fnmatchcase("locales", pattern) for pattern in included)
    patterns = tool["setuptools"]["package-data"]["locales"]
    catalogues = sorted(p.relative_to(LOCALES_DIR) for p in LOCALES_DIR.glob("*/LC_MESSAGES/*.mo"))
    assert {p.parts[0] for p in catalogues} >= {"vi", "en"}
    for catalogue in catalogues:
        assert any(fnmatch.fnmatchcase(str(catalogue), p) for p in patterns), catalogue
