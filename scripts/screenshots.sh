#!/usr/bin/env bash
# The screenshots of docs/images, taken again: the standalone server of a source tree (this one by default) on the
# bundled samples (ingested into a release folder: no storage needed), the sample page served from a second origin,
# and the Playwright + Debian Chromium of the browser tests driving it (scripts/screenshots.mjs).
#   scripts/screenshots.sh [--tree DIR] [--label after] [SHOT...]
# SHOT is one or more of: over-time (the "Complaints over time" widget, 1280 px), phone (the sample page's map and
# chart at 390 px), forced-colors (a chart and the map in forced-colours mode); all three by default. Each is written
# as docs/images/{shot}-{label}.png of this tree. The "before" images come from older commits built in a temporary
# worktree, e.g.:
#   git worktree add /tmp/oc-before 494f62d && scripts/screenshots.sh --tree /tmp/oc-before --label before over-time
#   git worktree remove /tmp/oc-before
# (over-time: 494f62d, before adaptive grouping; phone: 285dedf; forced-colors: 5ae1cd5.)
# Needs: the .NET 10 SDK, node, python3, chromium (or OPENCONDUCT_CHROMIUM), the Playwright NuGet package restored.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
tree=$here
label=after
while [ $# -gt 0 ]; do
  case "$1" in
    --tree) tree=$(cd "$2" && pwd); shift 2 ;;
    --label) label="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "screenshots.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
shots=("$@")
[ ${#shots[@]} -gt 0 ] || shots=(over-time phone forced-colors)

chromium=${OPENCONDUCT_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "screenshots.sh: Chromium is missing at $chromium (apt-get install chromium, or set OPENCONDUCT_CHROMIUM)" >&2; exit 2; }
version=$(sed -n 's/.*"Microsoft.Playwright" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
playwright="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.playwright/$version/.playwright/package"
[ -d "$playwright" ] || { echo "screenshots.sh: Playwright $version is not restored at $playwright (dotnet restore tests/OpenConduct.Browser.Tests)" >&2; exit 2; }

work=$(mktemp -d)
server_pid=
page_pid=
cleanup() {
  [ -n "$page_pid" ] && kill "$page_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== building the server of $tree"
dotnet build "$tree/functions/OpenConduct.Server" -c Release -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet "$tree/functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll")

echo "== publishing the samples"
export OPENCONDUCT_PSEUDONYM_KEY=screenshots-key-0123456789-0123456789-0123
for source in cra iau opcr; do
  (cd "$tree" && "${cli[@]}" ingest --profile "samples/profiles/$source.json" --policy samples/policies/minnesota.json \
    "samples/exports/$source" --out "$work/releases" --index "$work/index" >"$work/ingest-$source.log" 2>&1) \
    || { cat "$work/ingest-$source.log" >&2; exit 1; }
done

api_port=$(free_port)
page_port=$(free_port)
(cd "$tree" && exec "${cli[@]}" serve --releases "$work/releases" --index "$work/index" --urls "http://127.0.0.1:$api_port" \
  --cors-origin "http://127.0.0.1:$page_port" --rate-limit 0) >"$work/server.log" 2>&1 &
server_pid=$!
mkdir -p "$work/site"
sed "s#http://127.0.0.1:7071#http://127.0.0.1:$api_port#g" "$tree/samples/widgets/embed.html" >"$work/site/embed.html"
cp "$tree/samples/widgets/precincts.geojson" "$work/site/"
python3 -m http.server "$page_port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
page_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$api_port/api/health/live" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.3
done

echo "== screenshots (${shots[*]}) as docs/images/{shot}-$label.png"
mkdir -p docs/images
PLAYWRIGHT_PACKAGE="$playwright" OPENCONDUCT_CHROMIUM="$chromium" \
  node scripts/screenshots.mjs "http://127.0.0.1:$page_port/embed.html" "$here/docs/images" "$label" "${shots[@]}"
