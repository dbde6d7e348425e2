"""``dondoc webhook set`` with a self-signed certificate (uploaded with setWebhook as
Telegram requires), a fixed IP address and a connection limit, against the fake Bot API
over a socket; and the files it refuses before sending anything (a private key, a file
that is not a PEM certificate, a missing one)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests import cluster
from tests.e2e.test_webhook_run import SECRET, URL, _command
from tests.fakebot import FakeBotAPI, UploadedFile
from tests.fakebot_server import serving


def _env(fake: FakeBotAPI, base_url: str, tmp_path: Path) -> dict:
    return {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
        "DONDOC_WEBHOOK_URL": URL,
        "DONDOC_WEBHOOK_SECRET": SECRET,
    }


async def test_webhook_set_uploads_a_self_signed_certificate(tmp_path: Path, capsys) -> None:
    cert, _key = _self_signed(tmp_path)
    fake = FakeBotAPI()
    async with serving(fake) as base_url:
        env = _env(fake, base_url, tmp_path)
        argv = [
            "webhook", "set", "--certificate", str(cert),
            "--ip-address", "203.0.113.7", "--max-connections", "20",
        ]  # fmt: skip
        assert await asyncio.to_thread(_command, argv, env, tmp_path) == 0
        [call] = fake.calls_of("setWebhook")
        upload = call.params["certificate"]
        assert isinstance(upload, UploadedFile) and upload.filename == cert.name
        assert upload.content == cert.read_bytes()
        assert call.params["url"] == URL and call.params["secret_token"] == SECRET
        assert call.params["ip_address"] == "203.0.113.7"
        assert call.params["max_connections"] == 20
        assert not call.params.get("drop_pending_updates")
        assert "cert.pem" in capsys.readouterr().out

        argv = ["webhook", "info", "--json"]
        assert await asyncio.to_thread(_command, argv, env, tmp_path) == 0
        info = json.loads(capsys.readouterr().out)
        assert info["has_custom_certificate"] is True
        assert info["ip_address"] == "203.0.113.7" and info["max_connections"] == 20

        # Set again without one (a Let's Encrypt certificate now): none is kept.
        assert await asyncio.to_thread(_command, ["webhook", "set"], env, tmp_path) == 0
        assert "certificate" not in fake.calls_of("setWebhook")[-1].params
        assert fake.webhook_certificate is None


def _key_only(tmp_path: Path) -> Path:
    _cert, key = _self_signed(tmp_path)
    return key


def _cert_and_key(tmp_path: Path) -> Path:
    cert, key = _self_signed(tmp_path)
    both = tmp_path / "both.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return both


def _der(tmp_path: Path) -> Path:
    import base64

    cert, _key = _self_signed(tmp_path)
    body = b"".join(cert.read_bytes().splitlines()[1:-1])
    der = tmp_path / "cert.der"
    der.write_bytes(base64.b64decode(body))
    return der


def _damaged(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
    return bad


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_key_only, "khóa bí mật"),
        (_cert_and_key, "khóa bí mật"),
        (_der, "không phải chứng chỉ PEM"),
        (_damaged, "bị hỏng"),
        (lambda tmp_path: tmp_path / "missing.pem", "missing.pem"),
    ],
    ids=["private key", "certificate with its key", "DER", "damaged", "missing"],
)
async def test_webhook_set_refuses_what_is_not_a_public_certificate(
    tmp_path: Path, capsys, make, said: str
) -> None:
    path = make(tmp_path)
    fake = FakeBotAPI()
    async with serving(fake) as base_url:
        env = _env(fake, base_url, tmp_path)
        argv = ["webhook", "set", "--certificate", str(path)]
        assert await asyncio.to_thread(_command, argv, env, tmp_path) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not fake.calls_of("setWebhook")  # nothing was sent
    if path.exists():
        assert path.read_text(errors="replace")[40:80] not in err  # no key material shown


async def test_webhook_set_refuses_a_connection_limit_telegram_would_refuse(
    tmp_path: Path, capsys
) -> None:
    fake = FakeBotAPI()
    async with serving(fake) as base_url:
        env = _env(fake, base_url, tmp_path)
        argv = ["webhook", "set", "--max-connections", "101"]
        assert await asyncio.to_thread(_command, argv, env, tmp_path) == 1
    assert "--max-connections" in capsys.readouterr().err
    assert not fake.calls_of("setWebhook")


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key (skipped, saying why, without openssl)."""
    try:
        return cluster.self_signed(directory)
    except cluster.Unavailable as missing:
        pytest.skip(str(missing))
