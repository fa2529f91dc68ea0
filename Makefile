# motcua: build, run, test, bench.
# Core modules live in src/ (everything but src/main.c); the sync protocol,
# client and server in sync/. Tests are built with ASan and UBSan.

CC      ?= cc
PKGS    := sdl2 SDL2_ttf SDL2_image libqrencode sqlite3 libsodium jansson inih libsystemd
SRV_PKGS:= sqlite3 libsodium jansson inih libmicrohttpd libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
BASE    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) -Isrc -Isync
SAN     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

# The core has no SDL in it: the server links it too.
UI_SRC   := src/ui.c src/kb.c src/i18n.c src/render.c src/ctl.c $(wildcard src/printout.c src/check.c)
CORE_SRC := $(filter-out src/main.c $(UI_SRC),$(wildcard src/*.c))
# The kiosk leaves out the HTTP client: it runs motcua-sync for that, so
# libcurl and its TLS libraries stay out of its memory (src/bgsync.h).
KIOSK_SRC:= src/main.c $(UI_SRC) $(filter-out src/sync.c,$(CORE_SRC))
# sync/: the server's modules, its main, and motcua-sync's main.
SRV_MOD  := $(filter-out sync/server_main.c sync/sync_main.c,$(wildcard sync/*.c))
SERVER_SRC := sync/server_main.c $(SRV_MOD) $(CORE_SRC)
SYNC_SRC := sync/sync_main.c $(CORE_SRC)
SRV_CFLAGS = $(shell pkg-config --cflags $(SRV_PKGS) 2>/dev/null)
SRV_LIBS   = $(shell pkg-config --libs $(SRV_PKGS) 2>/dev/null) -lm -lpthread
TEST_SRC := $(wildcard tests/test_*.c)

B := build
S := build/san

.PHONY: all run test bench deps clean check-deps fuzz install cross
all: check-deps $(B)/motcua-kiosk $(B)/motcua-server $(B)/motcua-sync

check-deps:
	@pkg-config --exists $(PKGS) || { echo "missing libraries: run  make deps  (or: sudo tools/deps.sh)"; exit 1; }

deps:
	@sh tools/deps.sh

$(B)/obj/%.o: %.c $(wildcard src/*.h sync/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(BASE) $(CFLAGS) $(PKG_CFLAGS) $(SRV_CFLAGS) -c $< -o $@

$(S)/obj/%.o: %.c $(wildcard src/*.h sync/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(BASE) $(SAN) $(PKG_CFLAGS) $(SRV_CFLAGS) -c $< -o $@

$(B)/motcua-kiosk: $(KIOSK_SRC:%.c=$(B)/obj/%.o)
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(PKG_LIBS)

$(S)/motcua-kiosk: $(KIOSK_SRC:%.c=$(S)/obj/%.o)
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(PKG_LIBS)

$(B)/motcua-server: $(SERVER_SRC:%.c=$(B)/obj/%.o)
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS)

$(B)/motcua-sync: $(SYNC_SRC:%.c=$(B)/obj/%.o)
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS)

$(S)/motcua-server: $(SERVER_SRC:%.c=$(S)/obj/%.o)
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(SRV_LIBS)

$(S)/motcua-sync: $(SYNC_SRC:%.c=$(S)/obj/%.o)
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(SRV_LIBS)

$(S)/tests/%: $(S)/obj/tests/%.o $(CORE_SRC:%.c=$(S)/obj/%.o) $(UI_SRC:%.c=$(S)/obj/%.o) $(SRV_MOD:%.c=$(S)/obj/%.o)
	@mkdir -p $(dir $@)
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(PKG_LIBS) $(SRV_LIBS) -lcmocka

TEST_BINS := $(TEST_SRC:tests/%.c=$(S)/tests/%)

# motcua-fill queues many requests in a kiosk store, for tests and benchmarks.
$(B)/motcua-fill: $(B)/obj/tests/tools/fill.o $(CORE_SRC:%.c=$(B)/obj/%.o)
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS)

# The demo: a district server and a kiosk, set up under run/ (gitignored).
run: deps all
	@sh tools/demo.sh

test: deps $(TEST_BINS) $(S)/motcua-kiosk $(S)/motcua-server $(S)/motcua-sync $(B)/motcua-fill all
	@python3 tests/run.py

bench: deps all $(B)/motcua-fill
	@sh bench/run.sh

# libFuzzer on the envelope and message decoders, bounded in time.
FUZZ_SECONDS ?= 60
FUZZ_SRC := tests/fuzz/fuzz_envelope.c src/envelope.c src/proto.c src/token.c src/cal.c
fuzz:
	@sh tools/deps.sh clang
	@mkdir -p $(B)/fuzz/corpus && cp tests/fuzz/corpus/* $(B)/fuzz/corpus/
	clang $(BASE) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(FUZZ_SRC) -o $(B)/fuzz/fuzz_envelope $(shell pkg-config --cflags --libs libsodium jansson)
	$(B)/fuzz/fuzz_envelope -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 $(B)/fuzz/corpus

# Install: binaries, assets and fonts, sample configurations, systemd units
# and the system users (sysusers.d). DESTDIR stages a tree for a package or
# an SD card image; the README's "Install on a Raspberry Pi" goes on from here.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share/motcua
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'
UNITS_IN := motcua-kiosk.service motcua-server.service motcua-sync.service
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/assets $(DESTDIR)$(DATADIR)/fonts \
		$(DESTDIR)$(SYSCONFDIR)/motcua $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 755 $(B)/motcua-kiosk $(B)/motcua-server $(B)/motcua-sync $(DESTDIR)$(BINDIR)/
	install -m 644 assets/*.json $(DESTDIR)$(DATADIR)/assets/
	install -m 644 fonts/*.ttf fonts/OFL.txt $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 README.md $(DESTDIR)$(DATADIR)/
	$(SUBST) deploy/kiosk.ini.in > $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini.sample
	$(SUBST) deploy/server.env.in > $(DESTDIR)$(SYSCONFDIR)/motcua/server.env.sample
	for u in $(UNITS_IN); do $(SUBST) deploy/$$u.in > $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 644 deploy/motcua-sync.timer $(DESTDIR)$(UNITDIR)/
	install -m 644 deploy/motcua.sysusers $(DESTDIR)$(SYSUSERSDIR)/motcua.conf
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/motcua/*.sample $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS_IN))
	@echo "installed; next: systemd-sysusers, then copy $(SYSCONFDIR)/motcua/kiosk.ini.sample to kiosk.ini and fill it in"

# arm64 (Raspberry Pi OS 64-bit) built on an amd64 Debian with its cross
# compiler and the arm64 libraries (multiarch: tools/deps.sh cross), into
# build/arm64/. pkg-config is pointed at the arm64 .pc files only.
CROSS      ?= aarch64-linux-gnu-
CROSS_ARCH ?= $(patsubst %-,%,$(CROSS))
cross:
	PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS_ARCH)/pkgconfig:/usr/share/pkgconfig \
		$(MAKE) B=build/arm64 CC=$(CROSS)gcc build/arm64/motcua-kiosk build/arm64/motcua-server build/arm64/motcua-sync
	file build/arm64/motcua-kiosk build/arm64/motcua-server build/arm64/motcua-sync

clean:
	rm -rf build
.SECONDARY:
