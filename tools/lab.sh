#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vappliance lab (README command A).
#   tools/lab.sh up            set up everything, start the lab, print the report
#   tools/lab.sh report        print the report again
#   tools/lab.sh demo          drain, link-cut failover and a move again, with a
#                              packet stream running (lost packets per event)
#   tools/lab.sh vtysh NODE [vtysh args...]   vtysh on a node (interactive without args)
#   tools/lab.sh shell NODE    a shell inside a node's namespaces
#   tools/lab.sh down          stop the lab and remove its namespaces
# The lab runs in the background (munet, see tools/lab/labrun.py) until `down`.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VAPP_CACHE=${VAPP_CACHE:-/var/cache/vappliance}
LAB_DIR=${VAPP_LAB_DIR:-/var/tmp/vappliance-lab}
RUNDIR=$LAB_DIR/run
FRR_TOPOTESTS=$VAPP_CACHE/frr/tests/topotests
export FRR_TOPOTESTS
NODES=(rs1 rs2 f1 a1 b1 g1 e1 src)

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }

lab_pid() {
	local pid
	pid=$(cat "$RUNDIR/labrun.ready" 2>/dev/null) || return 1
	kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# every node's namespace init is alive
lab_nodes_ok() {
	local n p
	for n in "${NODES[@]}"; do
		p=$(cat "$RUNDIR/$n/nspid" 2>/dev/null) || return 1
		[ -e "/proc/$p/ns/net" ] || return 1
	done
}

mucmd() {
	local node=$1
	shift
	PYTHONPATH=$FRR_TOPOTESTS /usr/bin/python3 -B -m munet.mucmd -d "$RUNDIR" "$node" "$@"
}

node_vtysh() {
	local node=$1
	shift
	if [ $# -eq 0 ]; then
		mucmd "$node" vtysh
	else
		local args=()
		for c in "$@"; do args+=(-c "$c"); done
		mucmd "$node" vtysh "${args[@]}"
	fi
}

labpy() { /usr/bin/python3 -B "$LAB_DIR/lab.py" "$RUNDIR" "$@"; }

instructions() {
	cat <<-EOF

		The lab keeps running (logs and configs: $LAB_DIR/NODE/).
		  vtysh on a node:     bash tools/lab.sh vtysh rs1      (FRR nodes: rs1 rs2 f1 a1)
		  one command:         bash tools/lab.sh vtysh rs2 'show bgp vappliance appliances'
		  shell in a node:     bash tools/lab.sh shell b1       (nodes: ${NODES[*]})
		    BIRD:   birdc -s /etc/bird/bird.ctl show protocols all anycast_a
		    GoBGP:  gobgp -u 127.0.0.1 neighbor
		    ExaBGP: its log is $LAB_DIR/e1/exabgp.log
		  report again:        bash tools/lab.sh report
		  drain, cut, move:    bash tools/lab.sh demo
		  stop and clean up:   bash tools/lab.sh down
	EOF
}

up() {
	[ "$(id -u)" = 0 ] || die "run as root"
	bash "$TOP/tools/setup.sh"
	if lab_pid >/dev/null && ! lab_nodes_ok; then
		say "running, but nodes are gone: restarting"
		down
	fi
	if lab_pid >/dev/null; then
		say "already running"
	else
		rm -rf "$LAB_DIR"
		mkdir -p "$LAB_DIR"
		cp -r "$TOP/tools/lab/." "$LAB_DIR/"
		cp "$TOP/tools/vapp_stream.py" "$LAB_DIR/"
		say "starting (munet topology ${NODES[*]})"
		setsid nohup /usr/bin/python3 -B "$LAB_DIR/labrun.py" "$LAB_DIR/munet.yaml" "$RUNDIR" \
			>"$LAB_DIR/labrun.log" 2>&1 </dev/null &
		for _ in $(seq 1 60); do
			lab_pid >/dev/null && break
			sleep 1
		done
		lab_pid >/dev/null || { tail -n 20 "$LAB_DIR/labrun.log"; die "lab did not start; log: $LAB_DIR/labrun.log"; }
	fi
	say "waiting for the appliances' sessions"
	labpy wait || say "warning: not every appliance session is up yet (see the report)"
	# e1's second address retries AS 64666 until quarantined; give it a few tries
	sleep 8
	labpy report
	echo
	labpy demo
	echo
	say "after the demo:"
	labpy wait || true
	labpy report
	instructions
}

down() {
	local pid
	if pid=$(lab_pid); then
		kill -TERM "$pid"
		for _ in $(seq 1 60); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		say "stopped (logs kept in $LAB_DIR until the next 'up')"
	else
		say "not running"
	fi
}

case "${1:-up}" in
up) up ;;
down) down ;;
report) lab_pid >/dev/null || die "not running"; labpy report ;;
demo) lab_pid >/dev/null || die "not running"; labpy demo ;;
vtysh)
	[ $# -ge 2 ] || die "usage: tools/lab.sh vtysh NODE [COMMAND...]"
	shift
	node_vtysh "$@"
	;;
shell)
	[ $# -ge 2 ] || die "usage: tools/lab.sh shell NODE [COMMAND...]"
	shift
	mucmd "$@"
	;;
*) die "unknown command '$1' (up|down|report|demo|vtysh|shell)" ;;
esac
