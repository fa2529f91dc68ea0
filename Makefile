# motcua: build, run, test, bench.
#
# Each folder is one layer, built into one static archive; a program links
# its main and the archives below it, so it carries only the objects it
# calls (`nm` shows no kiosk code in the server, no SDL in motcua-sync).
# A folder sees the headers of the layers below it and no others: an
# include that points upward does not compile (docs/design.md).
#
#   src/core      shared by all three: no SDL, curl or HTTP
#   src/store     the kiosk's request store            (core)
#   src/print     papers drawn and sent to the printer (core; SDL_ttf, no window)
#   src/kiosk     motcua-kiosk                         (print, store, core)
#   src/office    motcua-office: counters, hall display (print, store, core)
#   sync/client   motcua-sync                          (store, core)
#   sync/store    the server's store                   (core)
#   sync/web      the server's pages                   (sync/store, core)
#   sync/server   motcua-server                        (web, sync/store, core)
#
# Tests are built with ASan and UBSan.

CC      ?= cc
PKGS    := sdl2 SDL2_ttf libqrencode sqlite3 libsodium jansson inih libsystemd libpng
SRV_PKGS:= sqlite3 libsodium jansson inih libmicrohttpd libcurl xlsxwriter
OFFICE_PKGS := sqlite3 libsodium jansson inih libmicrohttpd SDL2_ttf sdl2 libqrencode
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
BASE    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) -MMD -MP
SAN     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# The server store's PostgreSQL backend (sync/store/*_pg.c) is built when
# pkg-config finds libpq, unless WITH_PG=0; a kiosk never needs it.
WITH_PG ?= $(shell pkg-config --exists libpq 2>/dev/null && echo 1 || echo 0)
ifeq ($(WITH_PG),1)
PG_CFLAGS = -DWITH_PG $(shell pkg-config --cflags libpq)
PG_LIBS   = $(shell pkg-config --libs libpq)
PG_SRC   :=
else
PG_SRC   := $(wildcard sync/store/*_pg.c sync/store/srv_pg.c)
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl -lm -lpthread
SRV_CFLAGS = $(shell pkg-config --cflags $(SRV_PKGS) 2>/dev/null)
SRV_LIBS   = $(shell pkg-config --libs $(SRV_PKGS) 2>/dev/null) -lm -lpthread
OFFICE_LIBS = $(shell pkg-config --libs $(OFFICE_PKGS) 2>/dev/null) -ldl -lm -lpthread

# The layers, from the top down; each sees its own headers and those below.
LAYERS := src/kiosk src/office src/print sync/client sync/server sync/web sync/store src/store src/core
SEES_src/core    := src/core
SEES_src/store   := src/store src/core
SEES_src/print   := src/print src/core
SEES_src/kiosk   := src/kiosk src/print src/store src/core
SEES_src/office  := src/office src/print src/store src/core
SEES_sync/client := sync/client src/store src/core
SEES_sync/store  := sync/store src/core
SEES_sync/web    := sync/web sync/store src/core
SEES_sync/server := sync/server sync/web sync/store src/core
SEES_tests       := $(LAYERS)
SEES_tests/tools := src/store src/core
SEES_tests/unit  := $(LAYERS) tests/unit
# A layer's modules: its .c files but its program's main.
mods = $(filter-out $(1)/main.c $(PG_SRC),$(wildcard $(1)/*.c))
lib  = $(2)/lib/$(subst /,-,$(1)).a

B := build
S := build/san

# The archives each program links, top down.
KIOSK_LIBS  := src/kiosk src/print src/store src/core
SYNC_LIBS   := sync/client src/store src/core
SERVER_LIBS := sync/server sync/web sync/store src/core
OFFICE_LIBS_A := src/office src/print src/store src/core
FILL_LIBS   := src/store src/core

TEST_SRC  := $(filter-out $(if $(filter 1,$(WITH_PG)),,tests/unit/test_pg.c),$(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRC:tests/unit/%.c=$(S)/tests/%)
FIXTURE   := tests/unit/fixture.c

.PHONY: all run test bench deps clean check-deps fuzz install cross
all: check-deps $(B)/motcua-kiosk $(B)/motcua-server $(B)/motcua-sync $(B)/motcua-office

check-deps:
	@pkg-config --exists $(PKGS) || { echo "missing libraries: run  make deps  (or: sudo tools/deps.sh)"; exit 1; }

deps:
	@sh tools/deps.sh

# One object rule per build flavour; the include path is the layer's.
sees = $(addprefix -I,$(SEES_$(patsubst %/,%,$(dir $(1)))))
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(BASE) $(CFLAGS) $(call sees,$<) $(PKG_CFLAGS) $(SRV_CFLAGS) $(PG_CFLAGS) -c $< -o $@

$(S)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(BASE) $(SAN) $(call sees,$<) $(PKG_CFLAGS) $(SRV_CFLAGS) $(PG_CFLAGS) -c $< -o $@

# One archive per layer and flavour.
define layer_lib
$(call lib,$(1),$(B)): $(patsubst %.c,$(B)/obj/%.o,$(call mods,$(1)))
	@mkdir -p $$(dir $$@); rm -f $$@; echo "  AR $$@"; $(AR) rcs $$@ $$^
$(call lib,$(1),$(S)): $(patsubst %.c,$(S)/obj/%.o,$(call mods,$(1)))
	@mkdir -p $$(dir $$@); rm -f $$@; echo "  AR $$@"; $(AR) rcs $$@ $$^
endef
$(foreach l,$(LAYERS),$(eval $(call layer_lib,$(l))))
libs = $(foreach l,$(1),$(call lib,$(l),$(2)))

$(B)/motcua-kiosk: $(B)/obj/src/kiosk/main.o $(call libs,$(KIOSK_LIBS),$(B))
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(PKG_LIBS)
$(S)/motcua-kiosk: $(S)/obj/src/kiosk/main.o $(call libs,$(KIOSK_LIBS),$(S))
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(PKG_LIBS)
$(B)/motcua-sync: $(B)/obj/sync/client/main.o $(call libs,$(SYNC_LIBS),$(B))
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS)
$(S)/motcua-sync: $(S)/obj/sync/client/main.o $(call libs,$(SYNC_LIBS),$(S))
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(SRV_LIBS)
$(B)/motcua-server: $(B)/obj/sync/server/main.o $(call libs,$(SERVER_LIBS),$(B))
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS) $(PG_LIBS)
$(S)/motcua-server: $(S)/obj/sync/server/main.o $(call libs,$(SERVER_LIBS),$(S))
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(SRV_LIBS) $(PG_LIBS)

$(B)/motcua-office: $(B)/obj/src/office/main.o $(call libs,$(OFFICE_LIBS_A),$(B))
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(OFFICE_LIBS)
$(S)/motcua-office: $(S)/obj/src/office/main.o $(call libs,$(OFFICE_LIBS_A),$(S))
	@echo "  LD $@"; $(CC) $(SAN) $^ -o $@ $(OFFICE_LIBS)

# A unit test links the shared fixture and every archive; the linker takes
# from them only what the test calls.
$(S)/tests/%: $(S)/obj/tests/unit/%.o $(FIXTURE:%.c=$(S)/obj/%.o) $(call libs,$(LAYERS),$(S))
	@mkdir -p $(dir $@)
	@echo "  LD $@"; $(CC) $(SAN) $< $(FIXTURE:%.c=$(S)/obj/%.o) -Wl,--start-group $(call libs,$(LAYERS),$(S)) -Wl,--end-group \
		-o $@ $(PKG_LIBS) $(SRV_LIBS) $(PG_LIBS) -lcmocka

# motcua-fill queues many requests in a kiosk store, for tests and benchmarks.
$(B)/motcua-fill: $(B)/obj/tests/tools/fill.o $(call libs,$(FILL_LIBS),$(B))
	@echo "  LD $@"; $(CC) $(CFLAGS) $^ -o $@ $(SRV_LIBS)

# The demo: an upstream server, the office service and a kiosk, set up under
# run/ (gitignored). WINDOW=1280x720 sizes the kiosk's window, FULLSCREEN=1 fills the screen.
run: deps all
	@WINDOW="$(WINDOW)" FULLSCREEN="$(FULLSCREEN)" sh tools/demo.sh

test: deps $(TEST_BINS) $(S)/motcua-kiosk $(S)/motcua-server $(S)/motcua-sync $(S)/motcua-office $(B)/motcua-fill all
	@python3 tests/run.py

bench: deps all $(B)/motcua-fill
	@sh bench/run.sh

# libFuzzer on the envelope and message decoders, bounded in time.
FUZZ_SECONDS ?= 60
FUZZ_SRC := tests/fuzz/fuzz_envelope.c $(addprefix src/core/,envelope.c proto.c token.c cal.c)
fuzz:
	@sh tools/deps.sh clang
	@mkdir -p $(B)/fuzz/corpus && cp tests/fuzz/corpus/* $(B)/fuzz/corpus/
	clang $(filter-out -MMD -MP,$(BASE)) -Isrc/core -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(FUZZ_SRC) -o $(B)/fuzz/fuzz_envelope $(shell pkg-config --cflags --libs libsodium jansson)
	$(B)/fuzz/fuzz_envelope -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 $(B)/fuzz/corpus

# Install: binaries, assets (with the translations, assets/lang) and fonts, sample configurations, systemd units
# and the system users (sysusers.d). DESTDIR stages a tree for a package or
# an SD card image; the README's "Install on a Raspberry Pi" goes on from here.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share/motcua
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'
UNITS_IN := motcua-kiosk.service motcua-server.service motcua-sync.service motcua-office.service
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/assets $(DESTDIR)$(DATADIR)/assets/lang $(DESTDIR)$(DATADIR)/fonts \
		$(DESTDIR)$(SYSCONFDIR)/motcua $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 755 $(B)/motcua-kiosk $(B)/motcua-server $(B)/motcua-sync $(B)/motcua-office $(DESTDIR)$(BINDIR)/
	install -m 644 assets/*.json $(DESTDIR)$(DATADIR)/assets/
	install -m 644 assets/lang/*.po $(DESTDIR)$(DATADIR)/assets/lang/
	install -m 644 fonts/*.ttf fonts/OFL.txt $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 README.md $(DESTDIR)$(DATADIR)/
	$(SUBST) deploy/kiosk.ini.in > $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini.sample
	$(SUBST) deploy/server.env.in > $(DESTDIR)$(SYSCONFDIR)/motcua/server.env.sample
	for u in $(UNITS_IN); do $(SUBST) deploy/$$u.in > $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 644 deploy/motcua-sync.timer $(DESTDIR)$(UNITDIR)/
	install -m 644 deploy/motcua.sysusers $(DESTDIR)$(SYSUSERSDIR)/motcua.conf
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/motcua/*.sample $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS_IN))
	@# kiosk.ini will hold the PIN hash and keys: made from the sample once,
	@# readable by root and the kiosk's group only (its group once sysusers has made it).
	test -e $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini || \
		install -m 640 $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini.sample $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini
	chmod 640 $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini
	-chgrp motcua $(DESTDIR)$(SYSCONFDIR)/motcua/kiosk.ini 2>/dev/null
	@echo "installed; next: systemd-sysusers, chgrp motcua $(SYSCONFDIR)/motcua/kiosk.ini, then fill it in"

# arm64 (Raspberry Pi OS 64-bit) built on an amd64 Debian with its cross
# compiler and the arm64 libraries (multiarch: tools/deps.sh cross), into
# build/arm64/. pkg-config is pointed at the arm64 .pc files only.
CROSS      ?= aarch64-linux-gnu-
CROSS_ARCH ?= $(patsubst %-,%,$(CROSS))
cross:
	PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS_ARCH)/pkgconfig:/usr/share/pkgconfig \
		$(MAKE) B=build/arm64 CC=$(CROSS)gcc AR=$(CROSS)ar build/arm64/motcua-kiosk build/arm64/motcua-server build/arm64/motcua-sync
	file build/arm64/motcua-kiosk build/arm64/motcua-server build/arm64/motcua-sync

clean:
	rm -rf build
.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
