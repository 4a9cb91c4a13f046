#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# README command (B): set up everything, then run every test: the Check unit
# tests and YANG lint (`make check`), the user guide (`make -C doc html`,
# warnings fail it), then the topotests with Debian's
# python3-pytest, then a selection of FRR's own bgp topotests with the
# module loaded unconfigured (tools/frr_inert.sh). Prints the summaries;
# exits non-zero on any failure.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VAPP_BUILD:-$TOP/build}
export VAPP_CACHE=${VAPP_CACHE:-/var/cache/vappliance}
PYTEST_ARGS=${PYTEST_ARGS:-}

bash "$TOP/tools/setup.sh" || exit 1

echo "==== Check unit tests and YANG lint (make check), style (make check-format) ===="
make -C "$BUILD" check >"$VAPP_CACHE/logs/vapp-check.log" 2>&1
check_rc=$?
if ! make -C "$BUILD" check-format >"$VAPP_CACHE/logs/vapp-check-format.log" 2>&1; then
	tail -n 20 "$VAPP_CACHE/logs/vapp-check-format.log"
	echo "check-format FAILED (fix with: make -C build format)"
	check_rc=1
fi
for f in "$BUILD"/tests/*.log; do
	[ -f "$f" ] && grep -hE '^[0-9]+%: Checks|^(PASS|FAIL|ERROR)' "$f"
done
grep -E '^# (TOTAL|PASS|FAIL|ERROR)' "$VAPP_CACHE/logs/vapp-check.log"
[ $check_rc -eq 0 ] || { tail -n 40 "$VAPP_CACHE/logs/vapp-check.log"; echo "make check FAILED"; }

echo "==== user guide (make -C doc html: Debian's python3-sphinx, a warning fails it) ===="
if make -C "$TOP/doc" html BUILDDIR="$BUILD/doc" >"$VAPP_CACHE/logs/vapp-docs.log" 2>&1; then
	grep -E '^build succeeded' "$VAPP_CACHE/logs/vapp-docs.log"
else
	grep -iE 'warning|error' "$VAPP_CACHE/logs/vapp-docs.log" | head -n 20
	echo "docs FAILED (log: $VAPP_CACHE/logs/vapp-docs.log)"
	check_rc=1
fi

# The differential fuzzers (FUZZ_TIME s each, 60 by default) and the
# Check tests under valgrind memcheck, and the mutation check;
# VAPP_SKIP_HARDENING=1 skips them.
hard_rc=0
if [ -z "${VAPP_SKIP_HARDENING:-}" ]; then
	echo "==== fuzzing (make check-fuzz, ${FUZZ_TIME:-60} s per harness) ===="
	make -C "$BUILD" check-fuzz ${FUZZ_TIME:+FUZZ_TIME=$FUZZ_TIME} \
		>"$VAPP_CACHE/logs/vapp-check-fuzz.log" 2>&1 || hard_rc=1
	grep -E '^ +(FUZZ|FAIL) |DONE|MISMATCH|SUMMARY|check-fuzz' "$VAPP_CACHE/logs/vapp-check-fuzz.log"
	echo "==== Check tests under valgrind memcheck (make check-valgrind) ===="
	make -C "$BUILD" check-valgrind >"$VAPP_CACHE/logs/vapp-check-valgrind.log" 2>&1 || hard_rc=1
	tail -n 5 "$VAPP_CACHE/logs/vapp-check-valgrind.log"
	echo "==== mutation check (tools/mutants.sh: each protection of the core disabled in turn) ===="
	bash "$TOP/tools/mutants.sh" 2>&1 | tee "$VAPP_CACHE/logs/vapp-mutants.log" | tail -n 24
	[ "${PIPESTATUS[0]}" -eq 0 ] || hard_rc=1
	[ $hard_rc -eq 0 ] || echo "check-fuzz, check-valgrind or the mutation check FAILED (logs: $VAPP_CACHE/logs)"
fi

echo "==== topotests (/usr/bin/python3 -m pytest) ===="
cd "$TOP/topotests" || exit 1
# Debian's python only (no PyPI); the first python3 on PATH may be another
# shellcheck disable=SC2086
/usr/bin/python3 -m pytest -p no:cacheprovider -o log_cli=false -rfE $PYTEST_ARGS
pytest_rc=$?

echo "==== FRR's own bgp topotests, every bgpd with the module loaded unconfigured (tools/frr_inert.sh) ===="
bash "$TOP/tools/frr_inert.sh"
inert_rc=$?

echo "==== summary: make check rc=$check_rc, fuzz+valgrind rc=$hard_rc, pytest rc=$pytest_rc, FRR topotests with the module rc=$inert_rc ===="
[ $check_rc -eq 0 ] && [ $hard_rc -eq 0 ] && [ $pytest_rc -eq 0 ] && [ $inert_rc -eq 0 ]
