#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make check`: YANG tooling checks of frr-bgp-vappliance with libyang 3's
# yanglint.
#  1. The module compiles with no error and no warning (-V also prints
#     warnings that are otherwise hidden; its "verb" lines are progress).
#  2. doc/frr-bgp-vappliance.tree is what yanglint generates (make yang-tree).
#  3. Strict data validation (yanglint's default; -n would skip unknown
#     nodes): tests/yang/route-server.json -- the YANG form of
#     doc/examples/route-server.conf as bgpd prints it (defaults trimmed;
#     test_vapp_interop compares the two) -- is valid configuration, and each file
#     in tests/yang/invalid/ is refused with the message listed below, so a
#     loosened constraint fails this test.
set -e
YANGLINT=${YANGLINT:-yanglint}
top=${top_srcdir:-.}
model="$top/module/yang/frr-bgp-vappliance.yang"
fail=0

out=$("$YANGLINT" -V -f yang "$model" 2>&1 >/dev/null) || { echo "$out"; exit 1; }
out=$(printf '%s\n' "$out" | grep -v '^libyang verb:' || true)
if [ -n "$out" ]; then
	echo "yanglint: $model: messages while compiling:"
	echo "$out"
	exit 1
fi
echo "yanglint: $model compiles without warnings"

if ! "$YANGLINT" -f tree "$model" | cmp -s - "$top/doc/frr-bgp-vappliance.tree"; then
	echo "doc/frr-bgp-vappliance.tree is stale: run make yang-tree"
	exit 1
fi
echo "yanglint: doc/frr-bgp-vappliance.tree up to date"

if ! out=$("$YANGLINT" -t config "$model" "$top/tests/yang/route-server.json" 2>&1); then
	echo "yanglint: tests/yang/route-server.json refused:"
	echo "$out"
	exit 1
fi
echo "yanglint: tests/yang/route-server.json valid (strict)"

# file | what libyang must say
expect() {
	f="$top/tests/yang/invalid/$1.json"
	if out=$("$YANGLINT" -t config "$model" "$f" 2>&1); then
		echo "FAIL invalid/$1.json accepted"
		fail=1
	elif ! printf '%s' "$out" | grep -qF "$2"; then
		echo "FAIL invalid/$1.json refused, but not with \"$2\":"
		echo "$out"
		fail=1
	else
		echo "ok   invalid/$1.json refused: $2"
	fi
}
expect unknown-leaf 'Node "colour" not found as a child of "pool"'
expect state-in-config 'Unexpected data state node "state"'
expect max-sessions-zero 'value "0" is out of the allowed range'
expect asn-zero 'an AS number or range in asplain'
expect asn-open-range 'an AS number or range in asplain'
expect pool-name 'a name starts with a letter or digit'
expect quarantine-failures 'value "0" is out of the allowed range'
expect prefix-ge 'value "129" is out of the allowed range'
expect prefix-ge-le 'ge must not exceed le'
expect next-hop 'Invalid enumeration value "self"'
expect lease-short 'value "2" is out of the allowed range'
expect restore-delay 'value "3601" is out of the allowed range'
expect shutdown-message 'length is not allowed'

n=$(ls "$top/tests/yang/invalid" | wc -l)
if [ "$n" -ne 13 ]; then
	echo "FAIL tests/yang/invalid holds $n files; list each in tests/yanglint.sh"
	fail=1
fi
exit $fail
