#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium, which the gather-bench HTML report check
# (crates/gather-bench/tests/report.rs) renders the report with. Idempotent; needs root (as CI is).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
