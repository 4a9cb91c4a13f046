#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# README command (B): set up everything, then run every test: the Check unit
# tests and YANG lint (`make check`), then the topotests with Debian's
# python3-pytest. Prints both summaries; exits non-zero on any failure.
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

echo "==== topotests (/usr/bin/python3 -m pytest) ===="
cd "$TOP/topotests" || exit 1
# Debian's python only (no PyPI); the first python3 on PATH may be another
# shellcheck disable=SC2086
/usr/bin/python3 -m pytest -p no:cacheprovider -o log_cli=false -rfE $PYTEST_ARGS
pytest_rc=$?

echo "==== summary: make check rc=$check_rc, pytest rc=$pytest_rc ===="
[ $check_rc -eq 0 ] && [ $pytest_rc -eq 0 ]
