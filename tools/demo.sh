#!/bin/sh
# The demo behind `make run`: a upstream server and a kiosk on this machine.
# Prepares run/ (gitignored) once: the server's data folder and keys
# (motcua-server init), run/kiosk.ini for a demo commune, the kiosk's key
# registered with the server. Then starts the server on 127.0.0.1:8080 in the
# background, opens the kiosk, and stops the server when the kiosk closes.
# Kept between runs, so requests filed in the demo stay; delete run/ to
# start over. The demo staff PIN is 123456. Scan a receipt's QR code, or open
# http://127.0.0.1:8080/r/<code>, to see the phone page. The officials'
# console is at http://127.0.0.1:8080/staff (officer canbo, supervisor
# lanhdao, both with the password motcua-demo), the public figures at /stats.
set -e
PORT=8080
mkdir -p run/data
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
./build/motcua-server serve --data run/server --listen 127.0.0.1:$PORT 2>>run/server.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT INT TERM
echo "demo: server at http://127.0.0.1:$PORT (log: run/server.log); kiosk: run/kiosk.ini"
echo "demo: console http://127.0.0.1:$PORT/staff (canbo or lanhdao, password motcua-demo); figures /stats"
echo "demo: staff PIN 123456; hold the title for 2 s to leave"
./build/motcua-kiosk --config run/kiosk.ini "$@"
