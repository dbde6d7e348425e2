"""The Dockerfile and compose.yaml (for those who deploy with Docker) kept consistent
with the code and with deploy/: what compose sets are settings the code reads, the
instances' ports are DONDOC_LISTEN's and deploy/nginx.conf's upstream, nginx runs that
very file, the image installs the guide's system packages and holds every package the
wheel is built from, and the image's health check works. No Docker needed."""

from __future__ import annotations

import fnmatch
import http.server
import json
import re
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.config import Settings, listen_address
from tests.deploy.test_deploy_files import CERT, DOMAIN, NGINX_CONF

ROOT = NGINX_CONF.parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
DOCKERIGNORE = ROOT / ".dockerignore"
GUIDE = ROOT / "docs" / "deploy.md"
ENV = {"POSTGRES_PASSWORD": "pw123", "DOMAIN": "bot.tinh.gov.vn"}


def _interpolate(value: object) -> object:
    """Compose's ``${NAME:?message}``, ``${NAME:-default}`` and ``$$`` with ENV."""
    if isinstance(value, dict):
        return {key: _interpolate(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item) for item in value]
    if not isinstance(value, str):
        return value

    def one(found: re.Match[str]) -> str:
        name, kind, rest = found.group(1), found.group(2), found.group(3)
        if name in ENV:
            return ENV[name]
        assert kind == ":-", f"${{{name}}} has no value and no default"
        return rest

    parts = value.split("$$")
    return "$".join(re.sub(r"\$\{(\w+)(?:(:[?-])([^}]*))?\}", one, part) for part in parts)


@pytest.fixture(scope="module")
def services() -> dict:
    return _interpolate(yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"])


def _dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    lines = [
        line
        for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    ]
    return [i.strip() for i in re.split(r"\n(?=\S)", "\n".join(lines).replace("\\\n", " ")) if i]


def _instruction(name: str) -> list[str]:
    return [i[len(name) :].strip() for i in _dockerfile() if i.split(maxsplit=1)[0] == name]


def _image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in _instruction("ENV"):
        env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


def _nginx_upstream_ports() -> set[int]:
    text = NGINX_CONF.read_text(encoding="utf-8")
    return {int(p) for p in re.findall(r"^\s*server\s+127\.0\.0\.1:(\d+)\b", text, re.M)}


def _bots(services: dict) -> dict[str, dict]:
    return {name: s for name, s in services.items() if "build" in s and "ports" in s}


def test_compose_sets_only_settings_the_code_reads(services: dict) -> None:
    known = {field.alias for field in Settings.model_fields.values()}
    ours = {name: s for name, s in services.items() if "build" in s}
    assert set(ours) == {"dondoc", "bot1", "bot2", "bot3"}
    for name, service in ours.items():
        assert service["env_file"] == "dondoc.env", name
        assert set(service["environment"]) <= known, name
        settings = Settings(_env_file=None, **service["environment"])
        assert settings.database_url == service["environment"]["DATABASE_URL"]


def test_the_database_url_is_the_compose_database(services: dict) -> None:
    db = services["db"]["environment"]
    for name, service in services.items():
        if "build" not in service:
            continue
        url = make_url(service["environment"]["DATABASE_URL"])
        assert url.drivername == "postgresql+psycopg", name
        assert url.host == "db" and "db" in services and url.port == 5432
        assert url.username == db["POSTGRES_USER"] and url.database == db["POSTGRES_DB"]
        assert url.password == db["POSTGRES_PASSWORD"] == ENV["POSTGRES_PASSWORD"]
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_instances_publish_dondoc_listen_on_the_ports_nginx_proxies_to(services: dict) -> None:
    bots = _bots(services)
    published = set()
    for name, bot in bots.items():
        host, port = listen_address(bot["environment"]["DONDOC_LISTEN"])
        assert host == "0.0.0.0", f"{name}: a published port reaches only 0.0.0.0"
        [mapping] = bot["ports"]
        on_host, in_container = mapping.rsplit(":", 2)[1:]
        assert mapping.startswith("127.0.0.1:"), f"{name}: published beyond this machine"
        assert int(in_container) == port, name
        published.add(int(on_host))
    assert len(published) == len(bots)
    assert published == _nginx_upstream_ports()
    # nginx on the host's network reaches them where deploy/nginx.conf says: 127.0.0.1.
    assert services["nginx"]["network_mode"] == "host"
    # The image's own default is the same address (for a plain `docker run -p`).
    assert _image_env()["DONDOC_LISTEN"] == bots["bot1"]["environment"]["DONDOC_LISTEN"]
    assert f"EXPOSE {port}" in _dockerfile()


def test_schema_upgraded_once_before_the_instances_start(services: dict) -> None:
    one_off = services["dondoc"]
    assert one_off["command"] == ["db", "upgrade"] and one_off["restart"] == "no"
    for name, bot in _bots(services).items():
        assert bot["depends_on"]["dondoc"]["condition"] == "service_completed_successfully"
        assert "command" not in bot, name  # the image's: dondoc run


def test_nginx_runs_deploy_nginx_conf_with_the_domain_put_in(
    services: dict, tmp_path: Path
) -> None:
    nginx = services["nginx"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in nginx["volumes"]}
    source = next(target for target, src in mounts.items() if src.endswith("nginx.conf"))
    assert (ROOT / mounts[source]).resolve() == NGINX_CONF
    assert CERT.startswith(next(t for t in mounts if t == "/etc/letsencrypt") + "/")
    # The command as nginx's container runs it, on this machine's paths; nginx itself is
    # a stand-in that says it was started.
    shell, flag, script = nginx["command"]
    assert (shell, flag) == ("/bin/sh", "-c")
    out = tmp_path / "default.conf"
    script = script.replace(source, str(NGINX_CONF))
    script = script.replace("/etc/nginx/conf.d/default.conf", str(out))
    (tmp_path / "nginx").write_text('#!/bin/sh\necho started "$@"\n')
    (tmp_path / "nginx").chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", **nginx["environment"]}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "started -g daemon off;"
    rendered = out.read_text(encoding="utf-8")
    domain = ENV["DOMAIN"]
    assert rendered == NGINX_CONF.read_text(encoding="utf-8").replace(DOMAIN, domain)
    assert f"server_name {domain};" in rendered and DOMAIN not in rendered
    assert f"ssl_certificate {CERT.replace(DOMAIN, domain)};" in rendered


def test_the_image_runs_dondoc_as_a_user_without_privileges() -> None:
    [user] = _instruction("USER")
    assert user not in ("root", "0") and not user.startswith("0:")
    assert json.loads(_instruction("ENTRYPOINT")[0]) == ["dondoc"]
    assert json.loads(_instruction("CMD")[-1]) == ["run"]
    assert _image_env()["PATH"].startswith("/opt/dondoc/.venv/bin:")


def test_the_guide_prepares_what_compose_reads(services: dict) -> None:
    """The env file compose reads is the template's copy, and the backup folder it mounts
    belongs to the image's user, as docs/deploy.md has them made."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"cp deploy/dondoc.env.example {services['dondoc']['env_file']}" in guide
    [useradd] = [i for i in _instruction("RUN") if "useradd" in i]
    uid = re.search(r"--uid (\d+)", useradd).group(1)
    [backups] = [v.split(":")[0] for v in services["dondoc"]["volumes"] if "backups" in v]
    assert f"install -d -o {uid} -g {uid} -m 0750 {backups}" in guide


def test_the_image_installs_the_guide_s_system_packages() -> None:
    """What section 1 of the guide installs, less what runs outside the bot's container
    (Python comes with the image, PostgreSQL and nginx have their own)."""
    guide = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"^apt install ((?:.*\\\n)*.*)$", guide, re.M)
    assert block, "docs/deploy.md's apt install line moved"
    wanted = set(block.group(1).replace("\\\n", " ").split())
    wanted -= {"python3", "python3-venv", "postgresql", "nginx"}
    [apt] = [i for i in _instruction("RUN") if "apt-get install" in i]
    installed = set(apt.split("apt-get install", 1)[1].split("&&")[0].split())
    assert wanted <= installed, wanted - installed


def test_the_build_context_holds_the_package_and_nothing_private() -> None:
    rules = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == "*", "an allow-list: nothing gets in unless named"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {
        d.name
        for d in ROOT.iterdir()
        if d.is_dir()
        and any(
            fnmatch.fnmatchcase(d.name, p)
            for p in project["tool"]["setuptools"]["packages"]["find"]["include"]
        )
    }
    assert packages >= {"bot", "storage", "locales"}
    assert allowed == packages | {"pyproject.toml", project["project"]["readme"]}
    assert not allowed & {".env", "dondoc.env", "deploy", "tests", ".git"}


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_image_health_check_asks_healthz_on_dondoc_listen(tmp_path: Path) -> None:
    [check] = _instruction("HEALTHCHECK")
    options, command = check.split(" CMD ", 1)
    assert "--timeout=" in options
    argv = json.loads(command)
    assert argv[0] == "python"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:

        def run(listen: str) -> int:
            env = {"DONDOC_LISTEN": listen, "PATH": "/usr/bin:/bin"}
            return subprocess.run(
                [sys.executable, *argv[1:]], env=env, cwd=tmp_path, capture_output=True, timeout=60
            ).returncode

        assert run(f"0.0.0.0:{port}") == 0  # as in the image: every interface
        assert run(f"127.0.0.1:{port}") == 0
    finally:
        server.shutdown()
        server.server_close()
    assert run(f"0.0.0.0:{port}") != 0  # nothing answers: unhealthy
