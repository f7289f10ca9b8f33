#!/usr/bin/env bash
# Installs the Debian packages the platform needs, when they are missing.
# As root it uses apt-get; otherwise sudo when it needs no password; otherwise
# it prints the exact command to run and fails.
set -euo pipefail

packages=(
  postgresql-15 postgresql-15-postgis-3   # the database
  libgdal32 libgeos-c1v5 libproj25 gdal-bin  # GeoDjango's libraries, ogr2ogr/ogrinfo for tests
  python3-venv                            # Debian's python3 lacks venv/ensurepip without it
  chromium fonts-dejavu-core              # browser tests (Cyrillic and Greek glyphs)
  libxml2-utils                           # xmllint: schema checks of GPX exports
  wrk                                     # make bench: HTTP load on the API
  osm2pgsql postgresql-15-pgrouting       # make bench: the peers of the OSM network import and routing
  gettext                                 # msgfmt: compiles the interface translations
  libzbar0                                # pyzbar: the tests decode the QR codes
  libpango-1.0-0 libpangoft2-1.0-0        # WeasyPrint: route packs' and leaflets' PDFs
  libcairo2                               # cairosvg: the MapLibre style's sprite of icons
)
# Front-end assets come from the npm registry: any npm will do.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# docker-compose.yml is checked with `docker compose config`; without the
# compose plugin, Debian's docker-compose reads the same file.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  packages+=(docker-compose)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing Debian packages: ${missing[*]}"
apt_cmd=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}")
if [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq
  "${apt_cmd[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo "${apt_cmd[@]}"
else
  echo "Missing system packages. Run this once, then re-run make:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
