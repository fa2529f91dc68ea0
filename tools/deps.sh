#!/bin/sh
# Installs the Debian packages motcua needs to build, run and test, when any
# is missing, and any further packages named as arguments (`make fuzz` adds
# clang, `make bench` nginx and wrk). Uses sudo when not root; without it,
# prints the one command. Chromium is here because the tests look at the
# phone page in a real browser.
PKGS="build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
libqrencode-dev libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libinih-dev
libcmocka-dev libcurl4-openssl-dev libmicrohttpd-dev zbar-tools python3 chromium $*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
	echo "run as root:  apt-get update && apt-get install -y$missing"; exit 1
fi
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null || {
	echo "could not install; run:  sudo apt-get update && sudo apt-get install -y$missing"; exit 1; }
