#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Inert when not configured: a selection of FRR 10.3's own bgp topotests,
# unmodified, with every bgpd they start loading the module (`-M vappliance`)
# and no vappliance configuration. They must pass as they do with the stock
# bgpd (measured once, both ways: doc/hardening.rst).
#
# FRR's test directories are copied (not changed) beside our conftest.py,
# which loads FRR's conftest with this machine's shims and takes the daemon
# directory from VAPP_FRR_DIR: a directory of links to the installed
# daemons whose bgpd is a wrapper adding `-M vappliance`. Nothing installed
# is touched. Every bgpd the tests started must have logged the module's
# load line, or the run fails.
#
#   tools/frr_inert.sh [TEST_DIR...]     (default: the selection below)
#   VAPP_INERT_STOCK=1 tools/frr_inert.sh   the same with the stock bgpd, the
#                                           baseline (no module may load)
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${VAPP_CACHE:-/var/cache/vappliance}
FRR_SRC=${FRR_BUILD:-$CACHE/frr}
FRR_DIR=${VAPP_FRR_DIR:-/usr/lib/frr}
WORK=${VAPP_INERT_DIR:-/tmp/vapp-frr-inert}
RUNDIR=/tmp/topotests-frr-inert

# bgp_gshut and bgp_vrf_md5_peering would belong here; they need the vrf
# link type this kernel lacks.
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || TESTS=(
	bgp_peer_group
	bgp_listen_on_multiple_addresses
	bgp_route_server_client
	bgp_received_routes_with_soft_inbound
	bgp_maximum_prefix_out
	bgp_remote_as_auto
	bgp_addpath_best_selected
	bgp_ebgp_requires_policy
	bgp_prefix_list_any
	bgp_rr_ibgp
)

rm -rf "$WORK" "$RUNDIR"
mkdir -p "$WORK/frr" "$WORK/tests"
for f in "$FRR_DIR"/*; do
	[ "$(basename "$f")" = bgpd ] || ln -s "$f" "$WORK/frr/"
done
MODULE_ARGS="-M vappliance"
[ -z "${VAPP_INERT_STOCK:-}" ] || MODULE_ARGS=
cat >"$WORK/frr/bgpd" <<EOF
#!/bin/sh
exec $FRR_DIR/bgpd $MODULE_ARGS "\$@"
EOF
chmod 0755 "$WORK/frr/bgpd"

cp "$TOP/topotests/conftest.py" "$WORK/tests/"
sed "s|^rundir = .*|rundir = $RUNDIR|" "$TOP/topotests/pytest.ini" >"$WORK/tests/pytest.ini"
for t in "${TESTS[@]}"; do
	if [ ! -d "$FRR_SRC/tests/topotests/$t" ]; then
		echo "frr_inert: no FRR topotest $t in $FRR_SRC/tests/topotests" >&2
		exit 1
	fi
	cp -a "$FRR_SRC/tests/topotests/$t" "$WORK/tests/"
done

cd "$WORK/tests" || exit 1
VAPP_FRR_DIR="$WORK/frr" FRR_BUILD="$FRR_SRC" \
	/usr/bin/python3 -m pytest -p no:cacheprovider -o log_cli=false -rfE "${TESTS[@]}"
rc=$?

# each bgpd the tests ran must have loaded the module
logs=$(find "$RUNDIR" -name bgpd.log | sort)
total=$(printf '%s\n' "$logs" | grep -c . || true)
loaded=0
for l in $logs; do
	grep -q "vappliance [0-9.]* loaded" "$l" && loaded=$((loaded + 1))
done
echo "frr_inert: $loaded of $total bgpd logs show the module loaded"
if [ -n "${VAPP_INERT_STOCK:-}" ]; then
	[ "$loaded" -eq 0 ] || rc=1
elif [ "$total" -eq 0 ] || [ "$loaded" -ne "$total" ]; then
	for l in $logs; do
		grep -q "vappliance [0-9.]* loaded" "$l" || echo "frr_inert: not loaded: $l"
	done
	rc=1
fi
exit $rc
