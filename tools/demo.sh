#!/bin/sh
# Prepares the demo under run/ (gitignored): a server key pair made by
# motcua-server init, a data folder, and run/kiosk.ini for a demo commune.
# Kept between runs, so requests filed in the demo stay; delete run/ to
# start over. The demo staff PIN is 1234.
set -e
mkdir -p run/data
[ -f run/server/server.key ] || ./build/motcua-server init --data run/server > run/server.line 2>/dev/null
if [ ! -f run/kiosk.ini ]; then
	pin=$(echo 1234 | ./build/motcua-kiosk hash-pin | sed 's/^staff_pin = //')
	cat > run/kiosk.ini <<EOT
; Demo configuration, made by tools/demo.sh. Staff PIN: 1234.
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
public_url = http://127.0.0.1:8080
key = $(cat run/server.line)
EOT
fi
echo "demo: run/kiosk.ini (staff PIN 1234; hold the title for 2 s to leave)"
