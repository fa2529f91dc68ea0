#!/bin/sh
# Entry point of `make bench` (run after `make all`): installs what the
# comparisons need (Xvfb for idle CPU, Chromium and qrencode for the
# receipt page, nginx and wrk for the server), then runs bench/bench.py,
# which prints one table and writes bench/RESULTS.md. Everything it starts
# talks over pipes, a local X socket or the loopback interface only.
set -eu
cd "$(dirname "$0")/.."

# Xvfb gives the windowed kiosk a real X server without a screen; the other
# figures do not need it, so a failed install only skips that one figure.
if ! command -v Xvfb >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else SUDO="none"; fi
	if [ "$SUDO" != none ]; then
		echo "installing xvfb for the idle-CPU measurement"
		{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq xvfb; } >/dev/null 2>&1 \
			|| echo "could not install xvfb; the idle-CPU figure will be skipped"
	else
		echo "xvfb missing and no root or sudo; the idle-CPU figure will be skipped"
	fi
fi

# Chromium is in tools/deps.sh's list already; qrencode draws the receipt
# page's QR; the server is compared with nginx under wrk.
sh tools/deps.sh nginx-light wrk qrencode >/dev/null || echo "could not install nginx, wrk and qrencode"
exec python3 bench/bench.py "$@"
