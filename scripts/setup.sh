#!/usr/bin/env bash
# Sets mxsim up on a fresh Debian/Ubuntu machine: the system packages that the
# chart renderer (canvas, under chartjs-node-canvas) compiles against, then the
# npm packages from the lock file (which also builds mxsim into dist/).
set -euo pipefail
cd "$(dirname "$0")/.."

# canvas cannot download a prebuilt binary here, so it compiles against Cairo
# and Pango; fonts-dejavu-core gives the charts their text.
PACKAGES="libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev fonts-dejavu-core"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for p in $PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
fi
if [ -n "$missing" ]; then
  echo "mxsim setup: installing system packages:$missing" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

npm ci --no-fund --no-audit
