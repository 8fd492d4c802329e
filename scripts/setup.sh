#!/usr/bin/env bash
# Set up envreport on a fresh Debian machine: the system packages WeasyPrint and Chinese
# PDFs need, a virtual environment in .venv, and the package with its test tools.
# Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pango/HarfBuzz for WeasyPrint, Noto CJK for Chinese reports, poppler for PDF checks,
# chromium for the portal's end-to-end tests (Playwright drives it; nothing is downloaded),
# python3-venv for the virtual environment below (Debian's python3 has no ensurepip without
# it: "python3 -m venv" fails on a fresh machine).
DEBIAN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
                 fonts-dejavu-core fonts-liberation poppler-utils chromium python3-venv)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL server binaries for the ledger's tests (each test run starts its own throwaway
# cluster with initdb + pg_ctl in a temporary folder). No main cluster is created or started.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian package postgresql (server binaries for the ledger tests)"
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/envreport.conf >/dev/null
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: envreport needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1 || echo missing)." \
       "Run again with PYTHON=/path/to/python3.11 (or newer)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
# pip's output is shown without one harmless warning; a failed install stops here with it
if ! pip_output=$(.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1); then
  printf '%s\n' "$pip_output" >&2
  echo "setup: pip could not install envreport and its test tools (above)" >&2
  exit 1
fi
printf '%s\n' "$pip_output" | grep -v -e "is ignored: it is neither a file nor a directory" -e '^$' || true
.venv/bin/envreport --version
