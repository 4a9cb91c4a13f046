#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make check`: the module's YANG compiles cleanly in libyang 3 (yanglint
# fails on any error; warnings are turned into a failure too).
set -e
YANGLINT=${YANGLINT:-yanglint}
model="${top_srcdir:-.}/module/yang/frr-bgp-vappliance.yang"
out=$("$YANGLINT" -f tree "$model" 2>&1) || { echo "$out"; exit 1; }
if printf '%s\n' "$out" | grep -q '^libyang\[[0-9]\]:\|warning'; then
	echo "$out"
	exit 1
fi
echo "yanglint: $model OK"
# the generated tree in doc/ must match the model (make yang-tree)
tree="${top_srcdir:-.}/doc/frr-bgp-vappliance.tree"
if ! "$YANGLINT" -f tree "$model" | cmp -s - "$tree"; then
	echo "doc/frr-bgp-vappliance.tree is stale: run make yang-tree"
	exit 1
fi
echo "yanglint: doc/frr-bgp-vappliance.tree up to date"
