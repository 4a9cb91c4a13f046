#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sets up a Debian 12 machine for vappliance: Debian packages, libyang 3.12.2
# and FRR 10.3 built from the Debian 13 (trixie) source packages, unmodified
# (Debian's own patches only), installed in the Debian layout.
#
# Idempotent: every step leaves a stamp in $VAPP_CACHE/stamps and is skipped
# when its stamp and its installed result are present; a warm run takes
# seconds. Each step logs to $VAPP_CACHE/logs/<step>.log and, on failure,
# names itself and that log.
#
# The built FRR tree (headers, config.h, clippy, frr.xref, topotest lib) stays
# in $VAPP_CACHE/frr: the module's ./configure uses it by default.
set -euo pipefail

VAPP_CACHE=${VAPP_CACHE:-/var/cache/vappliance}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JOBS=${JOBS:-$(nproc)}

# Pinned upstream versions and the SHA-256 of their orig tarballs. Debian
# stable updates may bump the Debian revision (+deb13uN); the orig tarball of
# the same upstream version must not change.
FRR_VERSION=10.3
FRR_ORIG_SHA256=78b3f37de85af1e2cab87c3f831f0db66669e32540194ef55759f49ebdab0c10
LIBYANG_VERSION=3.12.2
LIBYANG_ORIG_SHA256=d7b35a5f9f3a5b929b9c9ee0c2b1b63fbef7be788d88f74e1362b85990002db3

# FRR configure flags: Debian's debian/rules set (everything that can change
# bgpd's ABI: multipath=256, bgp-vnc, scripting, rpki, snmp, fpm, ...), in the
# issue's layout (modules in /usr/lib/frr/modules), docs off and the daemons
# vappliance never runs off to save build time.
FRR_CONFIGURE_FLAGS=(
	--prefix=/usr --sysconfdir=/etc --localstatedir=/var
	--sbindir=/usr/lib/frr --libdir=/usr/lib/frr
	--with-moduledir=/usr/lib/frr/modules
	--with-vtysh-pager=/usr/bin/pager
	--disable-dependency-tracking
	--enable-rpki --enable-scripting --with-libpam --enable-snmp
	--enable-fpm --disable-protobuf --disable-zeromq --enable-ospfapi
	--enable-bgp-vnc --enable-multipath=256
	--enable-user=frr --enable-group=frr --enable-vty-group=frrvty
	--enable-configfile-mask=0640 --enable-logfile-mask=0640
	--disable-doc --enable-sharpd
	--disable-ospf6d --disable-ripd --disable-ripngd --disable-isisd
	--disable-fabricd --disable-pimd --disable-pim6d --disable-ldpd
	--disable-nhrpd --disable-eigrpd --disable-babeld --disable-pbrd
	--disable-vrrpd --disable-pathd
)

LOGS=$VAPP_CACHE/logs
STAMPS=$VAPP_CACHE/stamps
SRC=$VAPP_CACHE/src
FRR_TREE=$VAPP_CACHE/frr

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: ERROR: %s\n' "$*" >&2; exit 1; }

# step NAME CMD...: run CMD with its output in $LOGS/NAME.log
step() {
	local name=$1 t0=$SECONDS
	shift
	say "$name ..."
	if ! "$@" >"$LOGS/$name.log" 2>&1; then
		echo "---- last lines of $LOGS/$name.log ----" >&2
		tail -n 25 "$LOGS/$name.log" >&2
		die "step '$name' failed; full log: $LOGS/$name.log"
	fi
	say "$name done ($((SECONDS - t0)) s)"
}

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { printf '%s\n' "$2" >"$STAMPS/$1"; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, users, make install)"
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release ||
	say "warning: not Debian 12 (bookworm); continuing"
mkdir -p "$LOGS" "$STAMPS" "$SRC"

# ---- Debian packages -------------------------------------------------------
mapfile -t PKGS < <(sed 's/#.*//' "$HERE/debian-packages.txt" | tr -s ' \t' '\n' | sed '/^$/d')
missing_pkgs() {
	local p st
	for p in "${PKGS[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$st" = installed ] || echo "$p"
	done
}
do_apt() {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# the daemons among them (prometheus, node-exporter, bird) are only
	# run by the tests, in their own namespaces: keep their packages from
	# starting them on the host (Debian's policy-rc.d interface), unless
	# the machine has its own policy already
	local policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\n# vappliance bootstrap: no service starts while it installs\nexit 101\n' >"$policy"
		chmod 0755 "$policy"
	fi
	# shellcheck disable=SC2046
	apt-get install -y --no-install-recommends $(missing_pkgs) || {
		[ -z "$policy" ] || rm -f "$policy"
		return 1
	}
	[ -z "$policy" ] || rm -f "$policy"
}
if [ -n "$(missing_pkgs)" ]; then
	step apt-packages do_apt
fi

# ---- Debian's prometheus-frr-exporter, unpacked, not installed ----------------
# Its package depends on Debian 12's frr (8.4): installing it would replace
# the FRR 10.3 built below. The test that checks it still collects from
# the route server runs the binary from the unpacked package.
FRR_EXPORTER=$VAPP_CACHE/frr-exporter/usr/bin/prometheus-frr-exporter
do_frr_exporter() {
	local d=$VAPP_CACHE/frr-exporter
	rm -rf "$d" "$VAPP_CACHE/debs"
	mkdir -p "$VAPP_CACHE/debs"
	(cd "$VAPP_CACHE/debs" && apt-get download prometheus-frr-exporter) ||
		{ apt-get update && (cd "$VAPP_CACHE/debs" && apt-get download prometheus-frr-exporter); }
	dpkg-deb -x "$VAPP_CACHE"/debs/prometheus-frr-exporter_*.deb "$d"
	"$FRR_EXPORTER" --version
}
if [ ! -x "$FRR_EXPORTER" ]; then
	step frr-exporter do_frr_exporter
fi

# ---- users and groups (Debian's frr package creates the same) -------------
do_users() {
	getent group frr >/dev/null || groupadd --system frr
	getent group frrvty >/dev/null || groupadd --system frrvty
	getent passwd frr >/dev/null ||
		useradd --system -g frr -G frrvty -d /nonexistent -s /usr/sbin/nologin \
			-c "Frr routing suite" frr
	id -nG frr | grep -qw frrvty || usermod -a -G frrvty frr
	# FRR's topotest library runs ExaBGP peers as this user
	getent passwd exabgp >/dev/null ||
		useradd --system -d /var/run/exabgp -s /bin/false exabgp
}
if ! id frr >/dev/null 2>&1 || ! id exabgp >/dev/null 2>&1 ||
	! getent group frrvty >/dev/null || ! id -nG frr | grep -qw frrvty; then
	step users do_users
fi

# ---- trixie deb-src entry (sources only; no trixie binaries) ---------------
TRIXIE_SRC=/etc/apt/sources.list.d/vappliance-trixie-src.sources
have_trixie_src() {
	[ -f "$TRIXIE_SRC" ] ||
		grep -rqsE '^deb-src .* trixie ' /etc/apt/sources.list /etc/apt/sources.list.d/
}
do_deb_src() {
	cat >"$TRIXIE_SRC" <<-EOF
		# Added by vappliance tools/bootstrap.sh: Debian 13 source packages only
		# (frr, libyang). Never install trixie binaries on this machine.
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: trixie
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	apt-get update
}

# fetch PKG UPSTREAM_VERSION SHA256: orig + debian tarballs into $SRC/PKG
fetch() {
	local pkg=$1 ver=$2 sum=$3 dir=$SRC/$1 orig
	orig=$(ls "$dir"/"${pkg}_${ver}".orig.tar.* 2>/dev/null | head -n1 || true)
	if [ -n "$orig" ] && ls "$dir"/*.dsc >/dev/null 2>&1 &&
		echo "$sum  $orig" | sha256sum -c --quiet - 2>/dev/null; then
		return 0
	fi
	if ! have_trixie_src; then
		step deb-src-trixie do_deb_src
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	# _apt cannot write to root-owned dirs; apt then warns and downloads as root
	chmod 0777 "$dir"
	step "fetch-$pkg" bash -c "cd '$dir' && (apt-get source --download-only '$pkg/trixie' ||
		{ apt-get update && apt-get source --download-only '$pkg/trixie'; })"
	orig=$(ls "$dir"/"${pkg}"_*.orig.tar.* 2>/dev/null | head -n1 || true)
	[ -n "$orig" ] || die "$pkg: no orig tarball downloaded (see $LOGS/fetch-$pkg.log)"
	case "$(basename "$orig")" in
	"${pkg}_${ver}".orig.tar.*) ;;
	*) die "$pkg: trixie now carries $(basename "$orig"), expected upstream $ver; update the pins in tools/bootstrap.sh deliberately" ;;
	esac
	echo "$sum  $orig" | sha256sum -c --quiet - ||
		die "$pkg: SHA-256 of $(basename "$orig") is $(sha256sum "$orig" | cut -d' ' -f1), expected $sum"
	say "$pkg $ver: orig tarball SHA-256 verified"
}

# extract PKG DEST: dpkg-source -x (applies Debian's patches)
extract() {
	local pkg=$1 dest=$2 dsc
	dsc=$(ls "$SRC/$pkg"/*.dsc | head -n1)
	if stamp_ok "extract-$pkg" "$(basename "$dsc")" && [ -d "$dest" ]; then
		return 0
	fi
	rm -rf "$dest"
	step "extract-$pkg" dpkg-source --no-check -x "$dsc" "$dest"
	stamp_set "extract-$pkg" "$(basename "$dsc")"
	# later build stamps no longer describe this tree
	rm -f "$STAMPS/build-$pkg" "$STAMPS/configure-$pkg" "$STAMPS/install-$pkg"
}

fetch libyang "$LIBYANG_VERSION" "$LIBYANG_ORIG_SHA256"
fetch frr "$FRR_VERSION" "$FRR_ORIG_SHA256"
extract libyang "$SRC/libyang-tree"
extract frr "$FRR_TREE"

# ---- libyang ---------------------------------------------------------------
LY_BUILD=$VAPP_CACHE/build/libyang
do_libyang_build() {
	rm -rf "$LY_BUILD" && mkdir -p "$LY_BUILD" && cd "$LY_BUILD"
	cmake -DCMAKE_INSTALL_PREFIX=/usr/local -DCMAKE_BUILD_TYPE=Release \
		-DENABLE_TESTS=OFF "$SRC/libyang-tree"
	make -j"$JOBS"
}
do_libyang_install() { make -C "$LY_BUILD" install && ldconfig; }
if ! stamp_ok build-libyang "$LIBYANG_VERSION"; then
	step build-libyang do_libyang_build
	stamp_set build-libyang "$LIBYANG_VERSION"
	rm -f "$STAMPS/install-libyang"
fi
if ! stamp_ok install-libyang "$LIBYANG_VERSION" ||
	[ ! -e /usr/local/lib/libyang.so.3 ] || ! command -v yanglint >/dev/null; then
	step install-libyang do_libyang_install
	stamp_set install-libyang "$LIBYANG_VERSION"
fi

# ---- FRR -------------------------------------------------------------------
FRR_FLAGS_ID=$(printf '%s\n' "$FRR_VERSION" "${FRR_CONFIGURE_FLAGS[@]}" | sha256sum | cut -c1-16)
do_frr_configure() {
	cd "$FRR_TREE"
	./bootstrap.sh
	# Debian's build flags (hardening), as dh_auto_configure passes them
	eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
	export LIBS="${LIBS:-} -latomic" PYTHON=/usr/bin/python3
	./configure "${FRR_CONFIGURE_FLAGS[@]}"
	# the tree builds without dependency tracking (as Debian's does): an
	# object built under other flags would not be rebuilt (ospfd without
	# HAVE_BFDD once), so a new configuration starts from clean objects
	make clean >/dev/null
}
do_frr_build() { make -C "$FRR_TREE" -j"$JOBS"; }
do_frr_install() {
	make -C "$FRR_TREE" install
	ldconfig
	# Debian's package layout (frr.dirs, frr.postinst, frr.pam)
	install -d -o frr -g frr -m 0755 /etc/frr /var/run/frr /var/lib/frr
	install -d -o frr -g adm -m 0755 /var/log/frr
	[ -e /etc/pam.d/frr ] || install -m 0644 "$FRR_TREE/debian/frr.pam" /etc/pam.d/frr
	# Debian's package ships these defaults; keep the operator's copies.
	local f
	for f in daemons frr.conf vtysh.conf support_bundle_commands.conf; do
		[ -e "/etc/frr/$f" ] ||
			install -o frr -g frr -m 0640 "$FRR_TREE/tools/etc/frr/$f" "/etc/frr/$f"
	done
	chown frr:frrvty /etc/frr/vtysh.conf
	# as Debian's rules do: installed Python tools use the system python
	sed -e '1c #!/usr/bin/python3' -i /usr/lib/frr/frr-reload.py
	# Debian's systemd units (debian/rules installs the tree's generated
	# tools/frr.service and frr@.service, dh_installsystemd) and its
	# tmpfiles entry for /run/frr, so `systemctl restart frr` works; not
	# enabled at boot: that is the operator's `systemctl enable frr`
	install -m 0644 "$FRR_TREE/tools/frr.service" "$FRR_TREE/tools/frr@.service" \
		/lib/systemd/system/
	install -D -m 0644 "$FRR_TREE/debian/frr.tmpfile" /usr/lib/tmpfiles.d/frr.conf
	if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
}
if ! stamp_ok configure-frr "$FRR_FLAGS_ID" || [ ! -f "$FRR_TREE/config.h" ]; then
	step configure-frr do_frr_configure
	stamp_set configure-frr "$FRR_FLAGS_ID"
	rm -f "$STAMPS/build-frr" "$STAMPS/install-frr"
fi
if ! stamp_ok build-frr "$FRR_FLAGS_ID" || [ ! -x "$FRR_TREE/bgpd/.libs/bgpd" ] ||
	[ ! -f "$FRR_TREE/frr.xref" ]; then
	step build-frr do_frr_build
	stamp_set build-frr "$FRR_FLAGS_ID"
	rm -f "$STAMPS/install-frr"
fi
if ! stamp_ok install-frr "$FRR_FLAGS_ID" || [ ! -x /usr/lib/frr/bgpd ] ||
	[ ! -e /usr/lib/frr/libfrr.so.0 ] || [ ! -x /usr/lib/frr/frr-reload.py ] ||
	[ ! -e /etc/pam.d/frr ] || [ ! -d /var/lib/frr ] ||
	[ ! -e /lib/systemd/system/frr.service ]; then
	step install-frr do_frr_install
	stamp_set install-frr "$FRR_FLAGS_ID"
fi

say "FRR $FRR_VERSION installed in /usr/lib/frr; built tree kept in $FRR_TREE"
say "logs: $LOGS"
