#!/bin/sh
# The demo behind `make run`: an upstream server, the office service and a
# kiosk on this machine.
# Prepares run/ (gitignored) once: the server's data folder and keys
# (motcua-server init), run/kiosk.ini for a demo commune, the kiosk's key
# registered with the server. Then starts the server on 127.0.0.1:8080 (or
# the next free port up to 8099, when another program holds 8080: the
# kiosk's [server] lines follow it) and motcua-office, the counter page
# and hall display, on 127.0.0.1:8090 (or the next free one), in the
# background; opens the kiosk (WINDOW=WxH, e.g. make run WINDOW=1280x720,
# sets its window size; FULLSCREEN=1 fills the screen), and stops both
# services when the kiosk closes. With no display to open, the kiosk is
# not started (it would run invisible): the services stay up until Ctrl-C.
# Kept between runs, so requests filed in the demo stay; delete run/ to
# start over. The demo staff PIN is 123456. Scan a receipt's QR code, or open
# http://127.0.0.1:8080/r/<code>, to see the phone page. The officials'
# console is at http://127.0.0.1:8080/staff (officer canbo, supervisor
# lanhdao, both with the password motcua-demo), the public figures at /stats.
set -e
PORT=8080
mkdir -p run/data
# A free port from $1 up to $1+19: one nothing listens on (connect refused).
free_port() {
	p=$1
	while [ "$p" -lt $(($1 + 20)) ]; do
		if ! python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.3); sys.exit(0 if s.connect_ex(('127.0.0.1',$p)) else 1)" 2>/dev/null; then
			p=$((p + 1)); continue
		fi
		echo "$p"; return 0
	done
	echo "demo: no free port from $1 to $(($1 + 19))" >&2; return 1
}
PORT=$(free_port 8080)
[ "$PORT" = 8080 ] || echo "demo: port 8080 is in use by another program: the server takes $PORT"
[ -f run/server/server.key ] || ./build/motcua-server init --data run/server \
	--public-url http://127.0.0.1:$PORT > run/server.line 2>/dev/null
if [ ! -f run/kiosk.ini ]; then
	pin=$(echo 123456 | ./build/motcua-kiosk hash-pin | sed 's/^staff_pin = //')
	cat > run/kiosk.ini <<EOT
; Demo configuration, made by tools/demo.sh. Staff PIN: 123456.
[kiosk]
commune_code = 27280
commune_name = Xã Phù Lãng
kiosk_number = 1
data_dir = run/data
language = vi
input_method = telex
tone_style = old
idle_timeout = 120
staff_pin = $pin

[server]
public_url = http://127.0.0.1:$PORT
url = http://127.0.0.1:$PORT
key = $(cat run/server.line)
sync_interval = 30
EOT
	key=$(./build/motcua-sync --config run/kiosk.ini key | head -n 1)
	./build/motcua-server kiosk add --data run/server --kiosk 27280-1 --key "$key" >/dev/null
fi
if [ ! -f run/server/demo-accounts ]; then
	./build/motcua-server commune set --data run/server 27280 "Xã Phù Lãng" >/dev/null
	echo motcua-demo | ./build/motcua-server user add --data run/server --name canbo --role officer >/dev/null
	./build/motcua-server user communes --data run/server canbo 27280 >/dev/null
	echo motcua-demo | ./build/motcua-server user add --data run/server --name lanhdao --role supervisor >/dev/null
	touch run/server/demo-accounts
fi
# The kiosk talks to the server on the port it has today.
sed -i -e "s|^public_url = http://127.0.0.1:[0-9]*\$|public_url = http://127.0.0.1:$PORT|" \
	-e "s|^url = http://127.0.0.1:[0-9]*\$|url = http://127.0.0.1:$PORT|" run/kiosk.ini
./build/motcua-server serve --data run/server --listen 127.0.0.1:$PORT 2>>run/server.log &
server=$!
OPORT=$(free_port 8090)
./build/motcua-office --config run/kiosk.ini --listen 127.0.0.1:$OPORT >run/office.out 2>>run/office.log &
office=$!
trap 'kill $server $office 2>/dev/null' EXIT INT TERM
sleep 0.5
if ! kill -0 $server 2>/dev/null; then echo "demo: the server did not start: see run/server.log" >&2; exit 1; fi
if ! kill -0 $office 2>/dev/null; then echo "demo: the office service did not start: see run/office.log" >&2; exit 1; fi
echo "demo: server at http://127.0.0.1:$PORT (log: run/server.log); kiosk: run/kiosk.ini"
echo "demo: console http://127.0.0.1:$PORT/staff (canbo or lanhdao, password motcua-demo); figures /stats"
echo "demo: office service (log: run/office.log): counters http://127.0.0.1:$OPORT/counter (staff PIN 123456),"
echo "demo:   hall display http://127.0.0.1:$OPORT/display"
echo "demo: staff PIN 123456; hold the title for 2 s to leave"
set -- ${WINDOW:+--size "$WINDOW"} ${FULLSCREEN:+--fullscreen} "$@"
if [ -z "$DISPLAY" ] && [ -z "$WAYLAND_DISPLAY" ] && [ -z "$SDL_VIDEODRIVER" ]; then
	echo "demo: no display (DISPLAY and WAYLAND_DISPLAY are unset): the kiosk cannot be shown, so it is not started."
	echo "demo: run make run from a desktop session, or SDL_VIDEODRIVER=kmsdrm on a console; Ctrl-C stops the services"
	wait $server
	exit 0
fi
./build/motcua-kiosk --config run/kiosk.ini "$@"
