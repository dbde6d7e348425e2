#!/usr/bin/env bash
# Follow docs/deploy.md on a fresh Debian 12 with real systemd, and talk to the bot.
#
# The guide's own shell blocks are run as written, in order, inside a Debian 12 tree made
# with debootstrap and booted with `systemd-nspawn -b` on a private network (its own
# loopback: PostgreSQL on 5432, nginx on 443, nothing of this machine's in the way).
# Where the guide asks a person to type or edit, the script does what it says:
#   - section 2: the password is given to `createuser` on standard input, not typed;
#   - section 3: `cp -r đường/dẫn/…` copies this checkout (`git archive HEAD`);
#   - section 4: the settings file gets a token, webhook URL, secret and database URL;
#   - section 5: the self-signed certificate (way 2), so section 6's paths are changed
#     to it and section 8 uploads it;
#   - Telegram is the test suite's fake Bot API (tests/tools/fake_telegram.py), run in
#     the container, reached through `TELEGRAM_API_BASE_URL`.
# Then an official and a leader register with invitation links and write to the bot
# through nginx, one instance is killed and restarted by systemd, and a backup is made
# and restored with the guide's commands. Everything printed is for a person to read.
#
# Needs root, network for apt and pip (packages are installed before the private-network
# boot), and: apt-get install debootstrap systemd-container. About 15 minutes the first
# time (LibreOffice and Tesseract are in the guide's package list).
#
#   sudo tests/tools/try_deploy_guide.sh [DEBIAN_TREE]   # default /var/tmp/dondoc-guide
#
# Each run starts from a fresh copy of DEBIAN_TREE.base (Debian 12 with the packages of
# the guide's section 1, made on the first run) and leaves the machine in DEBIAN_TREE.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TREE="${1:-/var/tmp/dondoc-guide}"
GUIDE="$REPO/docs/deploy.md"

# The N-th ```sh block (from 1) of the section of docs/deploy.md whose heading starts
# with HEADING.
block() {
  awk -v heading="$1" -v want="$2" '
    /^## / { inside = (index($0, heading) == 1) }
    inside && /^```sh$/ { n++; if (n == want) { on = 1; next } }
    on && /^```$/ { exit }
    on { print }
  ' "$GUIDE"
}

# Run a shell script in a tree without booting it (network of this machine:
# offline_run TREE SCRIPT), or in the booted container (its own network: inside SCRIPT).
inside() { nsenter -t "$LEADER" -a /usr/bin/env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 /bin/bash -euc "$1"; }

step() { printf '\n== %s ==\n' "$*"; }

for tool in debootstrap systemd-nspawn nsenter git; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install debootstrap systemd-container)"; exit 2; }
done

# A fresh machine every run: a copy of a Debian tree with the guide's packages (section
# 1), made once and kept beside it ($TREE.base).
BASE="$TREE.base"
offline_run() { systemd-nspawn -q -D "$1" --register=no --keep-unit /bin/bash -euc "$2"; }
if [ ! -e "$BASE/.packages-installed" ]; then
  if [ ! -x "$BASE/usr/bin/apt-get" ]; then
    step "debootstrap Debian 12 into $BASE"
    debootstrap --variant=minbase \
      --include=systemd,systemd-sysv,dbus,ca-certificates,sudo,curl,adduser,procps \
      bookworm "$BASE" http://deb.debian.org/debian
  fi
  # A proxy's certificate authority of this machine, if any, for apt and pip in the tree.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$BASE/usr/local/share/ca-certificates/"
    offline_run "$BASE" "update-ca-certificates >/dev/null"
  fi
  step "1. Máy chủ: the packages (network of this machine)"
  offline_run "$BASE" "export DEBIAN_FRONTEND=noninteractive
$(block '## 1.' 1 | sed 's/^apt install /apt-get install -y -q /; s/^apt update/apt-get update -q/')"
  # Debian made PostgreSQL's cluster while this machine's network was in view: if this
  # machine runs a PostgreSQL, the cluster took the next port. The container has its own.
  sed -i 's/^port = .*/port = 5432/' "$BASE"/etc/postgresql/*/main/postgresql.conf
  touch "$BASE/.packages-installed"
fi
step "a fresh copy of $BASE in $TREE"
rm -rf "$TREE" && cp -a "$BASE" "$TREE"
echo dondoc-guide >"$TREE/etc/hostname"
# The domain of the guide's examples is this machine (nginx serves it on loopback).
printf '127.0.0.1 localhost dondoc-guide bot.example.gov.vn\n::1 localhost\n' >"$TREE/etc/hosts"

step "3. Cài bot (network of this machine)"
rm -rf "$TREE/root/dondoc-src" && mkdir -p "$TREE/root/dondoc-src"
git -C "$REPO" archive HEAD | tar -x -C "$TREE/root/dondoc-src"
offline_run "$TREE" "$(block '## 3.' 1 | sed 's|đường/dẫn/mã-nguồn-đôn-đốc|/root/dondoc-src|')"

step "booting the tree with systemd on a private network"
systemd-nspawn -q -D "$TREE" --register=no --keep-unit --private-network -b \
  >"$TREE/root/boot.log" 2>&1 &
NSPAWN=$!
stop() {  # SIGTERM asks the container to power off; a hung one is killed after 60 s
  kill "$NSPAWN" 2>/dev/null || return 0
  for _ in $(seq 60); do kill -0 "$NSPAWN" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$NSPAWN" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 60); do
  LEADER="$(pgrep -P "$NSPAWN" -x systemd | head -1 || true)"
  [ -n "$LEADER" ] && break
  sleep 1
done
[ -n "$LEADER" ] || { echo "the container did not boot: $TREE/root/boot.log"; exit 1; }
inside "systemctl is-system-running --wait >/dev/null 2>&1 || true"
inside "systemctl is-system-running || systemctl --failed --no-legend"

step "2. PostgreSQL"
inside "PW=\$(openssl rand -hex 24); echo \$PW >/root/dondoc-db-password
printf '%s\\n%s\\n' \$PW \$PW >/root/dondoc-db-password-twice
$(block '## 2.' 1 | sed 's|createuser --pwprompt dondoc|& </root/dondoc-db-password-twice|')"

step "4. Tệp cấu hình"
inside "$(block '## 4.' 1)
PW=\$(cat /root/dondoc-db-password)
sed -i -e 's|^TELEGRAM_BOT_TOKEN=.*|TELEGRAM_BOT_TOKEN=7000000001:AAFakeTokenForDonDocTests|' \
  -e \"s|^DONDOC_WEBHOOK_URL=.*|DONDOC_WEBHOOK_URL=https://bot.example.gov.vn/tg/\$(openssl rand -hex 16)|\" \
  -e \"s|^DONDOC_WEBHOOK_SECRET=.*|DONDOC_WEBHOOK_SECRET=\$(openssl rand -hex 32)|\" \
  -e \"s|^DATABASE_URL=.*|DATABASE_URL=postgresql+psycopg://dondoc:\$PW@127.0.0.1:5432/dondoc|\" \
  /etc/dondoc/dondoc.env
mkdir -p /root/telegram
(cd /opt/dondoc/src && nohup /opt/dondoc/.venv/bin/python tests/tools/fake_telegram.py /root/telegram \
  >/root/telegram/log 2>&1 &)
for _ in \$(seq 30); do [ -s /root/telegram/base_url ] && break; sleep 1; done
echo \"TELEGRAM_API_BASE_URL=\$(cat /root/telegram/base_url)\" >>/etc/dondoc/dondoc.env
cd /root
$(block '## 4.' 2)"

step "5. Chứng chỉ tự ký (cách 2)"
inside "$(block '## 5.' 2)"

step "6. nginx"
inside "$(block '## 6.' 1)
sed -i -e 's|/etc/letsencrypt/live/bot.example.gov.vn/fullchain.pem|/etc/ssl/certs/dondoc.pem|' \
  -e 's|/etc/letsencrypt/live/bot.example.gov.vn/privkey.pem|/etc/ssl/private/dondoc.key|' \
  /etc/nginx/sites-available/dondoc
$(block '## 6.' 2)"

step "7. systemd"
inside "$(block '## 7.' 1 | sed 's|^curl -s http://127.0.0.1:8081/readyz|for _ in $(seq 90); do curl -sf http://127.0.0.1:8081/readyz \&\& break; sleep 1; done; echo|; s|^systemctl status .*|systemctl is-active dondoc@8081 dondoc@8082|')"

step "8. Đăng ký webhook (with the certificate of way 2)"
inside "cd /root; $(block '## 5.' 3)
$(block '## 8.' 1 | sed '/^dondoc webhook set$/d')"

step "talking to the bot through nginx"
inside "cd /root
official=\$(dondoc invite --role official --unit 'son duong' | sed -n 's/.*start=//p')
leader=\$(dondoc invite --role leader | sed -n 's/.*start=//p')
cat >>/root/telegram/say <<EOF
Lan|/start \$official
Lan|nv 1.1 xong
Hung|/start \$leader
Hung|tinh hinh thang nay
Lan|/web
EOF
sleep 30; cat /root/telegram/log"

step "an instance killed: systemd starts it again"
inside "systemctl kill -s KILL dondoc@8082; sleep 10; systemctl is-active dondoc@8082
for _ in \$(seq 90); do curl -sf http://127.0.0.1:8082/readyz && break; sleep 1; done; echo"

step "Sao lưu và phục hồi"
inside "cd /root; $(block '## 9.' 1)
$(block '## Sao lưu và phục hồi' 1)
ls -l /var/backups/dondoc
systemctl stop 'dondoc@*'
dondoc restore /var/backups/dondoc/dondoc-\$(date +%F).backup || echo 'refused (exit '\$?'), as the guide says'
dondoc restore --force /var/backups/dondoc/dondoc-\$(date +%F).backup
systemctl start dondoc@8081 dondoc@8082
for _ in \$(seq 90); do curl -sf http://127.0.0.1:8081/readyz && break; sleep 1; done; echo"

step "done: the tree stays in $TREE (boot log: $TREE/root/boot.log)"
