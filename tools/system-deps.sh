#!/usr/bin/env bash
# The Debian packages the app and its test suite need, and a PostgreSQL that answers on
# 127.0.0.1:5432 (trust auth for the postgres role over TCP, as the CI machines have).
# Used by `make test` (and so by .ci/run) and by the README's install steps.
#
#   chromium               the browser tests (Playwright drives Debian's Chromium)
#   fonts-noto-cjk         Chinese in server-drawn charts, Word/PDF files and screenshots
#   libreoffice-writer-nogui, libreoffice-calc-nogui
#                          the tests open every generated .docx/.xlsx the way an office would
#   poppler-utils          pdftotext: the tests read generated PDFs (receipts, papers)
#   nginx                  `nginx -t` checks the county kit's site (deploy/nginx)
#   python3-venv, make     the two commands themselves
#   postgresql             the county database (the suite runs on it too)
#
# Usage: tools/system-deps.sh [--check]   (--check: only say what is missing, exit 1 if anything is)
set -euo pipefail

packages=(chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils nginx python3-venv make)
command -v pg_ctlcluster >/dev/null || packages+=(postgresql)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ "${1:-}" == "--check" ]]; then
    echo "system-deps: missing Debian packages: ${missing[*]}"
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "system-deps: these Debian packages are missing and this machine has no apt-get: ${missing[*]}" >&2
    echo "Install their equivalents, then run make test again." >&2
    exit 1
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "system-deps: these Debian packages are missing: ${missing[*]}" >&2
    echo "Run as root, then make test again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Never start the services these packages bring (nginx, postgresql) on install: we start what we need.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
  trap '[[ $created_policy == 1 ]] && rm -f "$policy"' EXIT
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ "${1:-}" == "--check" ]] && exit 0

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "system-deps: PostgreSQL does not answer on 127.0.0.1:5432. Start it as root:" >&2
    echo "  sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql | tail -1) main start" >&2
    exit 1
  fi
  echo "system-deps: starting PostgreSQL"
  for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "system-deps: PostgreSQL still does not answer on 127.0.0.1:5432" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  echo "system-deps: PostgreSQL answers but the role postgres cannot log in over TCP without a password." >&2
  echo "Allow it for the tests (trust on 127.0.0.1) in pg_hba.conf:  host all postgres 127.0.0.1/32 trust" >&2
  exit 1
fi
echo "system-deps: all packages present, PostgreSQL answers ($(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'show server_version'))"
