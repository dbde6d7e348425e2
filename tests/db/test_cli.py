"""The dondoc command line, run in-process (and once as a real process with stdin)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from bot.cli import main
from storage.db import Database
from tests.db.test_periodic import _setup as plan_and_units


@pytest.fixture
def env(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "dondoc_test_bot")
    return db


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_units_load_list_and_invite(env: Database, capsys, units_csv: Path) -> None:
    loaded = _json(capsys, ["units", "load-official", "--province", "Tuyên Quang", "--json"])
    assert loaded["province"] == "Tỉnh Tuyên Quang" and loaded["created"] == loaded["units"]
    imported = _json(capsys, ["units", "import", str(units_csv), "--json"])
    assert imported["ok"] is True and len(imported["created"]) == 6

    tree = _json(capsys, ["units", "list", "--json"])["units"]
    assert {n["name"] for n in tree} == {"Tỉnh Tuyên Quang", "Tỉnh Thử Nghiệm"}
    assert main(["units", "list"]) == 0
    text = capsys.readouterr().out
    assert "\n  Xã Sơn Dương [02536] — Thị trấn Sơn Dương" in text

    invite = _json(capsys, ["invite", "--unit", "TTPVHCC", "--role", "office", "--json"])
    assert invite["unit"] == "Trung tâm Phục vụ hành chính công" and invite["role"] == "office"
    assert invite["link"] == f"https://t.me/dondoc_test_bot?start={invite['code']}"
    assert main(["invite", "--unit", "Phường Hà Giang 1", "--role", "official"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("https://t.me/dondoc_test_bot?start=")
    assert "Phường Hà Giang 1" in printed[1]


def test_ambiguous_and_unknown_units_are_refused(env: Database, capsys, units_csv) -> None:
    main(["units", "load-official", "--province", "Tuyên Quang", "--json"])
    main(["units", "import", str(units_csv)])  # a second Xã Sơn Dương, in another province
    capsys.readouterr()
    assert main(["invite", "--unit", "Sơn Dương", "--role", "official"]) == 1
    err = capsys.readouterr().err
    assert "có thể là nhiều đơn vị" in err and "Xã Sơn Dương" in err
    assert main(["invite", "--unit", "Xã Không Có Thật", "--role", "official"]) == 1
    assert "Không tìm thấy đơn vị" in capsys.readouterr().err
    assert main(["invite", "--role", "official"]) == 1
    assert "--unit" in capsys.readouterr().err


def test_unknown_province_exits_1_with_suggestions(env: Database, capsys) -> None:
    assert main(["units", "load-official", "--province", "Tuyen Quan"]) == 1
    err = capsys.readouterr().err
    assert "Tuyen Quan" in err and "Tỉnh Tuyên Quang" in err
    assert "Traceback" not in err


def test_a_refused_file_reports_lines(env: Database, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind,parent,aliases\nXã A,xã,Tỉnh Ma,\n", encoding="utf-8")
    assert main(["units", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "chưa lưu gì" in err and "dòng 2" in err and "Tỉnh Ma" in err
    result = main(["units", "import", str(bad), "--json"])
    assert result == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["errors"][0]["line"] == 2


def test_an_unreachable_database_is_one_line_and_exit_2(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--database-url", "postgresql://x@127.0.0.1:1/none", "units", "list"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "127.0.0.1:1" in err and "Traceback" not in err


def test_db_upgrade_and_current(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert Database(url).head_revision() in capsys.readouterr().out
    current = _json(capsys, ["--database-url", url, "db", "current", "--json"])
    assert current["current"] == current["head"]


def test_help_is_vietnamese_by_default_and_english_on_request(capsys, monkeypatch) -> None:
    monkeypatch.delenv("DONDOC_LANGUAGE", raising=False)
    with pytest.raises(SystemExit):
        main(["units", "import", "--help"])
    assert "các cột: name,kind,parent,aliases" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["units", "--help"])
    assert "nạp danh mục đơn vị hành chính" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "chạy bot" in capsys.readouterr().out
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "run the bot" in capsys.readouterr().out


def _console_env(tmp_path: Path) -> tuple[dict[str, str], int]:
    """The environment of a demo console as a process, and the free port its web pages
    are served on (DONDOC_LISTEN)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "DONDOC_DEMO_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "DONDOC_OUTPUT_DIR": str(tmp_path / "out"),
        "DONDOC_LISTEN": f"127.0.0.1:{port}",
    }
    for name in ("TELEGRAM_BOT_TOKEN", "DONDOC_PUBLIC_URL"):
        env.pop(name, None)
    return env, port


def test_console_reads_standard_input(tmp_path: Path) -> None:
    """`dondoc console --demo` as a real process, fed from a pipe; exits at end of input."""
    env, _port = _console_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--demo", "--as", "xa son duong"],
        input="/trogiup\nnv 2.1 xong\nso hoa 85/100\nhello\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Báo cáo bằng tin nhắn thường" in result.stdout
    # the demo has a plan: a report is stored and confirmed
    assert "Đã ghi nhận cho Xã Sơn Dương" in result.stdout
    assert "2.1 Niêm yết công khai" in result.stdout and "85% (85/100)" in result.stdout
    assert "Tôi chưa hiểu tin nhắn này" in result.stdout


@pytest.mark.parametrize("any_port", [False, True], ids=["a-port", "port-0"])
def test_the_console_serves_the_web_pages_its_link_opens(tmp_path: Path, any_port: bool) -> None:
    """`/web` in the demo console prints a one-time link, and the console serves the pages
    on DONDOC_LISTEN while it runs: the link logs the office in, the overview answers.
    With port 0 the link names the port the system chose."""
    env, port = _console_env(tmp_path)
    if any_port:
        env["DONDOC_LISTEN"] = "127.0.0.1:0"
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        assert console.stdin is not None and console.stdout is not None
        console.stdin.write("/web\n")
        console.stdin.flush()
        shown: list[str] = []
        link = None
        while link is None:
            line = console.stdout.readline()
            assert line, "the console ended before printing a link: " + "".join(shown)
            shown.append(line)
            found = re.search(r"http://\S+/web/login/\S+", line)
            link = found.group() if found else None
        served = re.search(r"http://127\.0\.0\.1:(\d+)/web ", "".join(shown))
        assert served is not None, "".join(shown)  # where the pages are
        if any_port:
            port = int(served.group(1))
        assert served.group(1) == str(port) and link.startswith(f"http://127.0.0.1:{port}/")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.get("/web/", follow_redirects=False).status_code == 302
            assert client.get(link).status_code == 200  # the button; the link not spent
            entered = client.post(link, follow_redirects=False)
            assert entered.status_code == 303
            overview = client.get("/web/")
            assert overview.status_code == 200 and "Tổng quan" in overview.text
        console.stdin.close()
        assert console.wait(timeout=60) == 0
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()


def test_console_as_an_unknown_unit_is_refused(env: Database, capsys, units_csv) -> None:
    main(["units", "import", str(units_csv)])
    capsys.readouterr()
    assert main(["console", "--as", "Xã Bắc Cực"]) == 1
    err = capsys.readouterr().err
    assert "Không tìm thấy đơn vị “Xã Bắc Cực”" in err and "Traceback" not in err


def test_units_match_one_query_as_json(env: Database, capsys) -> None:
    main(["units", "load-official", "--province", "Tuyên Quang", "--json"])
    capsys.readouterr()
    found = _json(capsys, ["units", "match", "x son dwong", "--json"])
    assert set(found) == {"query", "decision", "match", "candidates"}
    assert found["query"] == "x son dwong" and found["decision"] == "match"
    assert found["match"]["name"] == "Xã Sơn Dương" and found["match"]["kind"] == "xã"
    assert found["match"]["score"] == 96.0
    assert found["candidates"][0] == found["match"] and len(found["candidates"]) <= 5
    assert set(found["candidates"][1]) == {"id", "name", "kind", "score"}


def test_units_match_reads_one_query_per_line(
    env: Database, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["units", "load-official", "--province", "Tuyên Quang", "--json"])
    capsys.readouterr()
    lines = "Phường Hà Giang 2\nsơn\nxã Tân Lập, tỉnh Phú Thọ\n\nthi tran son duong\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["units", "match", "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["query"] for o in out] == lines.splitlines()
    assert [o["decision"] for o in out] == ["match", "ask", "none", "none", "match"]
    assert out[0]["match"]["name"] == "Phường Hà Giang 2"
    assert out[1]["match"] is None and "Xã Sơn Dương" in {c["name"] for c in out[1]["candidates"]}
    assert out[4]["match"]["name"] == "Xã Sơn Dương"  # through its former name


def test_units_match_prints_a_line_per_query(env: Database, capsys) -> None:
    main(["units", "load-official", "--province", "Tuyên Quang", "--json"])
    capsys.readouterr()
    assert main(["units", "match", "x4 hong thai"]) == 0
    query, decision, offered = capsys.readouterr().out.rstrip("\n").split("\t")
    assert (query, decision) == ("x4 hong thai", "khớp")
    assert offered.startswith("Xã Hồng Thái (96)")


def test_calendar_add_and_list(env: Database, capsys) -> None:
    assert main(["calendar", "add", "23/11/2026", "--note", "nghỉ bù"]) == 0
    assert main(["calendar", "add", "2026-11-28", "--working"]) == 0
    capsys.readouterr()
    assert main(["calendar", "list", "11/2026"]) == 0
    lines = {line.split("\t")[0][:10]: line for line in capsys.readouterr().out.splitlines()}
    assert "nghỉ bù" in lines["23/11/2026"] and "nghỉ" in lines["23/11/2026"].split("\t")[1]
    assert lines["28/11/2026"].split("\t")[1] == "làm việc"
    # Holidays and weekdays in Vietnamese (they were "Vietnam Cultural Day", "Tue")
    assert lines["24/11/2026"] == "24/11/2026 T3\tnghỉ\tNgày Văn hóa Việt Nam"
    assert main(["calendar", "list", "02/2026"]) == 0
    text = capsys.readouterr().out
    assert "17/02/2026 T3\tnghỉ\tTết Nguyên Đán" in text and "Lunar" not in text
    assert "22/02/2026 CN\tnghỉ" in text


def test_what_the_command_line_prints_is_vietnamese(
    env: Database, capsys, units_csv: Path, tmp_path: Path
) -> None:
    """Role names, file errors and settings errors were printed in English."""
    main(["units", "import", str(units_csv)])
    capsys.readouterr()
    assert main(["invite", "--unit", "Xã Sơn Dương", "--role", "official"]) == 0
    code_line = capsys.readouterr().out.splitlines()[1]
    assert "cán bộ đầu mối · Xã Sơn Dương" in code_line and "official" not in code_line
    assert main(["invite", "--role", "office"]) == 0
    assert "Văn phòng (theo dõi mọi đơn vị)" in capsys.readouterr().out.splitlines()[1]
    assert main(["parse", "tình hình tháng này", "--as", "Xã Sơn Dương"]) == 0
    assert capsys.readouterr().out.split("\t")[1] == "câu hỏi"  # not "query"

    missing = tmp_path / "ke-hoach.docx"
    assert main(["plan", "import", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"Không đọc được tệp {missing}: không có tệp hay thư mục này." in err
    assert "No such file" not in err
    assert main(["plan", "import", str(tmp_path)]) == 1  # a folder
    assert "đây là thư mục, không phải tệp" in capsys.readouterr().err
    assert main(["plan", "template", str(tmp_path / "khong-co" / "mau.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được tệp" in err and "mau.xlsx" in err and "Traceback" not in err


def test_a_bad_setting_is_named_in_vietnamese(env: Database, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DONDOC_REPORT_CUTOFF_DAY", "40")
    assert main(["units", "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dondoc: giá trị của DONDOC_REPORT_CUTOFF_DAY không hợp lệ")


def test_invite_days_must_be_between_1_and_365(env: Database, capsys, monkeypatch) -> None:
    from sqlalchemy import func, select

    from storage.models import Invite

    for days in ("100000000", "-5", "0", "366"):
        assert main(["invite", "--role", "office", "--days", days]) == 1, days
        err = capsys.readouterr().err
        assert f"Không thể dùng --days {days}" in err and "từ 1 đến 365 ngày" in err
        assert "Traceback" not in err
    with env.session() as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == 0  # none made
    year = _json(capsys, ["invite", "--role", "office", "--days", "365", "--json"])
    day = _json(capsys, ["invite", "--role", "office", "--days", "1", "--json"])
    assert year["expires_at"] > day["expires_at"]
    monkeypatch.setenv("DONDOC_INVITE_DAYS", "30")  # no --days: the setting's number
    default = _json(capsys, ["invite", "--role", "office", "--json"])
    assert day["expires_at"] < default["expires_at"] < year["expires_at"]


def test_report_writes_the_word_draft_or_the_workbook(env: Database, capsys, tmp_path) -> None:
    """``dondoc report``: the same report as /xuat, written to a file; a request naming no
    report is refused with the reason and nothing is written."""
    plan_and_units(env)
    word, book = tmp_path / "q3.docx", tmp_path / "q3.xlsx"
    argv = ["report", "--period", "quý 3/2025", "--today", "2025-10-01", "--out"]
    assert main([*argv, str(word)]) == 0
    assert "15/06/2025 đến 14/09/2025" in capsys.readouterr().out
    texts = [p.text for p in Document(str(word)).paragraphs]
    assert "(Số liệu từ ngày 15/6/2025 đến ngày 14/9/2025)" in texts
    assert main([*argv, str(book), "--format", "xlsx", "--unit", "le loi"]) == 0
    assert load_workbook(book).sheetnames[:2] == ["Tổng hợp", "Tiến độ"]

    assert main(["report", "--period", "quý 5", "--out", str(tmp_path / "x.docx")]) == 1
    assert "không phải một kỳ báo cáo" in capsys.readouterr().err
    assert main([*argv, str(tmp_path / "y.docx"), "--unit", "Xã Không Có"]) == 1
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "y.docx").exists()
