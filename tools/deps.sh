#!/bin/sh
# Installs the Debian packages motcua needs to build, run and test, when any
# is missing, and any further packages named as arguments (`make fuzz` adds
# clang, `make bench` nginx and wrk). Uses sudo when not root; without it,
# prints the one command. Chromium is here because the tests look at the
# phone page in a real browser. libsystemd tells systemd the kiosk is up and
# alive (sd_notify). faketime and fonts-noto-core (a font without Vietnamese
# letters, NotoSansThai) let the self-check's tests show a lying clock and a
# wrong font. espeak-ng speaks the hall display's calls in Vietnamese
# (motcua-office runs it); libespeak-ng-dev lets the kiosk read each screen's
# prompt aloud (it is Multi-Arch, so the Pi's cross build has it too);
# libpng-dev writes and reads the control interface's screenshots. postgresql (and libpq-dev) is the server store's
# second backend: the tests start a throwaway cluster of it and read it with
# python3-psycopg2. libcups2-dev prints to an office printer through CUPS
# ([printer] kind = cups; its headers at build time, libcups itself opened on first use); cups-daemon and cups-client are the throwaway
# scheduler the tests start (tests/cupsd.py). `tools/deps.sh cross` adds what `make cross` needs: the
# aarch64 cross compiler, the arm64 builds of the libraries (multiarch) and
# qemu-user to run what it built.
LIBS="libsdl2-dev libsdl2-ttf-dev libqrencode-dev libsqlite3-dev
libsodium-dev libjansson-dev libinih-dev libcurl4-openssl-dev libmicrohttpd-dev libsystemd-dev libpq-dev
libxlsxwriter-dev libcups2-dev libespeak-ng-dev libpng-dev"
EXTRA=""
for a in "$@"; do
	if [ "$a" = cross ]; then
		EXTRA="$EXTRA gcc-aarch64-linux-gnu file qemu-user"
		# libpq-dev is not Multi-Arch: its arm64 build would replace the
		# native one; the Pi's build leaves PostgreSQL out (WITH_PG by pkg-config).
		for l in $LIBS; do [ "$l" = libpq-dev ] || EXTRA="$EXTRA $l:arm64"; done
	else
		EXTRA="$EXTRA $a"
	fi
done
PKGS="build-essential pkg-config $LIBS sqlite3 postgresql python3-psycopg2 libcmocka-dev zbar-tools python3 chromium faketime fonts-noto-core espeak-ng poppler-utils gammu-smsd cups-daemon cups-client $EXTRA"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
	echo "run as root:  apt-get update && apt-get install -y$missing"; exit 1
fi
case "$missing" in *:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64 ;;
esac
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null || {
	echo "could not install; run:  sudo apt-get update && sudo apt-get install -y$missing"; exit 1; }
