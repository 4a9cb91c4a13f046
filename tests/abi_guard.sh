#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make check`: the load-time ABI guard, end to end in a real bgpd (the one
# of the FRR tree the module was built against, in a dry run: bgpd -C).
#  1. The module as built loads.
#  2. Test builds derived from it by rewriting its build stamp (the bytes
#     vapp_abi_check() reads: "vappliance-abi VERSION vnc=B ...", the one
#     such string that starts with a digit) claim
#     another FRR version, or another configure option; bgpd must refuse
#     each with the guard's message naming both builds, and exit 1 (not
#     crash).
set -e
bgpd=${FRR_BUILD:?}/bgpd/bgpd
so=${builddir:-.}/bgpd/bgpd_vappliance.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # bgpd drops to the frr user before reading its config
: >"$work/bgpd.conf"
chmod 644 "$work/bgpd.conf"
fail=0

# run NAME: bgpd -C with $work/NAME/bgpd_vappliance.so; sets rc and out
run() {
	rc=0
	out=$("$bgpd" -C -f "$work/bgpd.conf" --moduledir "$work/$1" -M vappliance 2>&1) || rc=$?
}

# derive NAME FROM TO: a copy of the module with FROM in its stamp made TO
derive() {
	mkdir -p "$work/$1"
	python3 - "$so" "$work/$1/bgpd_vappliance.so" "$2" "$3" <<'PY'
import re, sys
src, dst, old, new = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode()
b = open(src, 'rb').read()
m = re.search(rb'vappliance-abi [0-9][^\0]*', b)
i, j, s = m.start(), m.end(), m.group(0)
assert len(old) == len(new) and s.count(old) == 1, (s, old)
open(dst, 'wb').write(b[:i] + s.replace(old, new) + b[j:])
PY
}

stamp=$(python3 -c "
import re, sys
print(re.search(rb'vappliance-abi [0-9][^\0]*', open(sys.argv[1], 'rb').read()).group(0).decode())" "$so")
echo "abi_guard: module stamp: $stamp"
ver=$(echo "$stamp" | cut -d' ' -f2)

mkdir -p "$work/built" && cp "$so" "$work/built/"
run built
if [ "$rc" != 0 ] || echo "$out" | grep -q 'refusing to load'; then
	echo "FAIL: the module as built does not load (rc $rc): $out"
	fail=1
else
	echo "ok: the module as built loads"
fi

# another FRR version (same length as the real one)
other=$(echo "$ver" | sed 's/[0-9]$/9/')
[ "$other" != "$ver" ] || other=$(echo "$ver" | sed 's/[0-9]$/8/')
derive version "vappliance-abi $ver " "vappliance-abi $other "
run version
want="vappliance: refusing to load: built for FRR $other (libfrr $other, "
if [ "$rc" != 1 ] || ! echo "$out" | grep -qF "$want" ||
	! echo "$out" | grep -qF "loaded into bgpd FRR $ver (libfrr $ver, "; then
	echo "FAIL: a module built for FRR $other: rc $rc (want 1), output: $out"
	fail=1
else
	echo "ok: a module built for FRR $other is refused"
fi

# another configure option (--enable-bgp-vnc flipped)
case "$stamp" in
*vnc=1*) from=vnc=1 to=vnc=0 ;;
*) from=vnc=0 to=vnc=1 ;;
esac
derive options "$from" "$to"
run options
if [ "$rc" != 1 ] || ! echo "$out" | grep -q 'refusing to load: built for .*options .*), loaded into bgpd .*options '; then
	echo "FAIL: a module built with $to: rc $rc (want 1), output: $out"
	fail=1
else
	echo "ok: a module built with $to is refused: $(echo "$out" | grep -m1 -o 'built for.*')"
fi
exit $fail
