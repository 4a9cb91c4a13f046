#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Everything vappliance needs on a Debian 12 machine, idempotent:
# Debian packages, libyang + FRR 10.3 (tools/bootstrap.sh), then the module
# and its vtysh built in ./build against the cached FRR tree and installed
# (bgpd_vappliance.so into FRR's moduledir, vtysh as /usr/bin/vtysh).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAPP_CACHE=${VAPP_CACHE:-/var/cache/vappliance}
export VAPP_CACHE
BUILD=${VAPP_BUILD:-$TOP/build}
LOGS=$VAPP_CACHE/logs
JOBS=${JOBS:-$(nproc)}

say() { printf 'setup: %s\n' "$*"; }
step() {
	local name=$1
	shift
	if ! "$@" >"$LOGS/$name.log" 2>&1; then
		tail -n 30 "$LOGS/$name.log" >&2
		printf 'setup: ERROR: step %s failed; full log: %s\n' "$name" "$LOGS/$name.log" >&2
		exit 1
	fi
}

bash "$TOP/tools/bootstrap.sh"
mkdir -p "$LOGS" "$BUILD"

if [ ! -x "$TOP/configure" ] || [ "$TOP/configure.ac" -nt "$TOP/configure" ] ||
	[ "$TOP/Makefile.am" -nt "$TOP/Makefile.in" ]; then
	say "autoreconf"
	step vapp-autoreconf autoreconf -fi "$TOP"
fi
if [ ! -f "$BUILD/Makefile" ] || [ "$TOP/configure" -nt "$BUILD/config.status" ]; then
	say "configure (FRR tree $VAPP_CACHE/frr)"
	step vapp-configure sh -c "cd '$BUILD' && '$TOP/configure' --with-frr-build='$VAPP_CACHE/frr' --enable-werror"
fi
say "make"
step vapp-make make -C "$BUILD" -j"$JOBS"
say "make install"
step vapp-install make -C "$BUILD" install
say "module and vtysh installed; build in $BUILD, logs in $LOGS"
