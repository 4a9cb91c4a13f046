#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FRR 10.3 and the module built with AddressSanitizer + UndefinedBehavior-
# Sanitizer, and the topotests run against them.
#
#   tools/sanitizers.sh build      FRR (same source package, same flags as
#                                  tools/bootstrap.sh, plus the sanitizers)
#                                  into /opt/vapp-asan, the module and its
#                                  vtysh against that tree
#   tools/sanitizers.sh test [PYTEST ARGS...]
#                                  the topotests with bgpd -M vappliance from
#                                  /opt/vapp-asan, then every sanitizer report
#                                  of the run; fails if there is any
#   tools/sanitizers.sh all        both
#
# The normal installation in /usr/lib/frr is left alone: the sanitized FRR
# lives in its own prefix (daemons and libfrr in /opt/vapp-asan/lib/frr,
# vtysh in /opt/vapp-asan/bin) and the topotests are pointed at it with
# VAPP_FRR_DIR (see topotests/conftest.py). Build steps are cached like
# bootstrap's: a second `build` takes seconds. Logs: $VAPP_CACHE/logs/asan-*.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VAPP_CACHE=${VAPP_CACHE:-/var/cache/vappliance}
PREFIX=/opt/vapp-asan
TREE=$VAPP_CACHE/frr-asan
BUILD=$TOP/build-asan
LOGS=$VAPP_CACHE/logs
STAMPS=$VAPP_CACHE/stamps
JOBS=${JOBS:-$(nproc)}
RUNDIR=/tmp/topotests-vappliance
SAN_FLAGS="-O1 -g -fno-omit-frame-pointer"

say() { printf 'sanitizers: %s\n' "$*"; }
die() {
	printf 'sanitizers: ERROR: %s\n' "$*" >&2
	exit 1
}
step() {
	local name=$1
	shift
	say "$name (log: $LOGS/asan-$name.log)"
	"$@" >"$LOGS/asan-$name.log" 2>&1 || {
		tail -n 30 "$LOGS/asan-$name.log" >&2
		die "step $name failed; log: $LOGS/asan-$name.log"
	}
}

# The configure flags of tools/bootstrap.sh (Debian's set), moved to PREFIX.
frr_flags() {
	sed -n '/^FRR_CONFIGURE_FLAGS=(/,/^)/p' "$TOP/tools/bootstrap.sh" |
		sed '1d;$d' | tr -s ' \t' '\n' | sed '/^$/d' |
		sed -e "s|^--prefix=/usr$|--prefix=$PREFIX|" \
			-e "s|^--sbindir=/usr/lib/frr$|--sbindir=$PREFIX/lib/frr|" \
			-e "s|^--libdir=/usr/lib/frr$|--libdir=$PREFIX/lib/frr|" \
			-e "s|^--with-moduledir=/usr/lib/frr/modules$|--with-moduledir=$PREFIX/lib/frr/modules|"
	echo --enable-address-sanitizer
	echo --enable-undefined-sanitizer
}

do_extract() {
	local dsc
	dsc=$(ls "$VAPP_CACHE/src/frr"/*.dsc | head -n1)
	rm -rf "$TREE"
	dpkg-source --no-check -x "$dsc" "$TREE"
}
do_configure() {
	cd "$TREE"
	./bootstrap.sh
	mapfile -t flags < <(frr_flags)
	export LIBS="-latomic" PYTHON=/usr/bin/python3 CFLAGS="$SAN_FLAGS"
	./configure "${flags[@]}"
}
do_build() { make -C "$TREE" -j"$JOBS"; }
do_install() {
	make -C "$TREE" install-exec install-data
	ldconfig
}
do_module() {
	rm -rf "$BUILD" && mkdir -p "$BUILD" && cd "$BUILD"
	"$TOP/configure" --with-frr-build="$TREE"
	make -j"$JOBS"
	make install
}

build() {
	bash "$TOP/tools/bootstrap.sh"
	mkdir -p "$LOGS" "$STAMPS"
	local id
	id=$(frr_flags | sha256sum | cut -c1-16)
	if [ "$(cat "$STAMPS/asan-frr" 2>/dev/null)" != "$id" ] || [ ! -x "$PREFIX/lib/frr/bgpd" ]; then
		step extract do_extract
		step configure do_configure
		step build do_build
		step install do_install
		echo "$id" >"$STAMPS/asan-frr"
	fi
	[ -x "$TOP/configure" ] || (cd "$TOP" && autoreconf -fi >/dev/null)
	step module do_module
	say "sanitized FRR in $PREFIX, module in $PREFIX/lib/frr/modules"
}

# Every sanitizer report of the last topotest run: ASan/LSan write
# *.asan.DAEMON.PID files (topotest sets log_path) or print to the daemons'
# stderr (DAEMON.err), UBSan prints "runtime error:" there. A report whose
# text names the module (a vapp_* frame, module/vapp_*.c,
# bgpd_vappliance.so) fails the run and is shown; the others are FRR's own
# (stock FRR 10.3 has UBSan findings in lib/ and mgmtd/, and leaks in
# mgmtd) and are summarised, one line per place.
reports() {
	local module=0 frr=0 f
	while IFS= read -r f; do
		[ -s "$f" ] || continue
		if grep -qE 'vapp_|bgpd_vappliance' "$f"; then
			say "module report: $f"
			grep -n -B2 -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f" | head -n 60
			module=1
		else
			frr=$((frr + 1))
		fi
	done < <({
		find "$RUNDIR" -name '*.asan.*' 2>/dev/null
		grep -rlE 'runtime error:|ERROR: (Address|Leak)Sanitizer' "$RUNDIR" --include='*.err' 2>/dev/null
	} | sort -u)
	if [ $frr -gt 0 ]; then
		say "$frr files with FRR's own reports (none names the module); by place:"
		grep -rhoE '[a-z_/]+\.c:[0-9]+(:[0-9]+)?: runtime error: [a-z ]+|ERROR: (Address|Leak)Sanitizer: [a-z-]+' \
			"$RUNDIR" --include='*.err' 2>/dev/null | sort | uniq -c | sort -rn | head -n 30
	fi
	return $module
}

run_tests() {
	[ -x "$PREFIX/lib/frr/bgpd" ] || die "no sanitized FRR in $PREFIX: run tools/sanitizers.sh build"
	export VAPP_FRR_DIR=$PREFIX/lib/frr
	export PATH=$PREFIX/bin:$PATH
	# halt_on_error=0: one report must not hide the next; the scan below fails the run
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=0
	rm -rf "$RUNDIR"
	cd "$TOP/topotests"
	local rc=0
	/usr/bin/python3 -m pytest -p no:cacheprovider -o log_cli=false -rfE "$@" || rc=$?
	if reports; then
		say "no sanitizer report names the module"
	else
		say "sanitizer reports in the module (above)"
		rc=1
	fi
	return $rc
}

case "${1:-all}" in
build) build ;;
test)
	shift
	run_tests "$@"
	;;
all)
	shift || true
	build
	run_tests "$@"
	;;
*) die "usage: tools/sanitizers.sh build|test [PYTEST ARGS]|all" ;;
esac
