#!/usr/bin/env bash
# ensure_chromium.sh — Debian's Chromium and ChromeDriver for the real-browser widget test.
# Installed from the distribution's packages (a test tool's own browser download cannot work offline).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "The widget's browser test needs Chromium and ChromeDriver (Debian: chromium chromium-driver)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo ">> installing chromium and chromium-driver (Debian packages) for the browser test"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
