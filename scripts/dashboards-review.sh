#!/usr/bin/env bash
# Looks at every dashboard on a real-size release as a member of the public would (issue 17, item 2;
# docs/widgets.md, "Review on a real-size release"):
#   1. ingests Chicago's 2000-2016 complaint register (DATA/chicago: complaints.csv.gz, accused.csv.gz,
#      complainants.csv.gz from invinst/chicago-police-data, docs/real-exports.md) with its profile under the Minnesota
#      policy into a release folder (a random pseudonymization key: nothing of it is kept);
#   2. serves it with `openconduct serve --releases` and a synthetic precinct map (a grid of squares, one per district
#      the release publishes: no licensed boundary file is at hand, so the shapes are not Chicago's);
#   3. opens one page per dashboard in headless Chromium at 1280 px (and the over-time chart at 390 px) and writes a
#      PNG of each to OUT (default artifacts/dashboards-review), plus the API's answers as JSON beside them.
# Usage: scripts/dashboards-review.sh DATA [OUT]. Needs the .NET 10 SDK, python3 and Debian's chromium.
# The screenshots hold counts only (no names: the dashboards publish none); the data stays outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${1:?usage: scripts/dashboards-review.sh DATA [OUT] (DATA/chicago holds the Chicago files)}"
out="${2:-artifacts/dashboards-review}"
[ -f "$data/chicago/complaints.csv.gz" ] || { echo "dashboards-review: $data/chicago/complaints.csv.gz is missing (docs/real-exports.md)" >&2; exit 2; }
command -v chromium >/dev/null || { echo "dashboards-review: chromium is needed (Debian package chromium)" >&2; exit 2; }
api_port=7181
page_port=8181
work=$(mktemp -d)
mkdir -p "$out"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; [ -n "${pages:-}" ] && kill "$pages" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "== build"
dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll)

echo "== ingest (Chicago 2000-2016, Minnesota policy)"
OPENCONDUCT_PSEUDONYM_KEY=$(head -c 48 /dev/urandom | base64) "${cli[@]}" ingest "$data/chicago" \
  --profile samples/profiles/real/chicago-cr-2000-2016.json --policy samples/policies/minnesota.json \
  --out "$work/releases" --index "$work/index" | tail -3

source_id=$(ls "$work/releases" | grep -v '^_' | head -1)
cat >"$work/sources.json" <<JSON
{ "sources": [ { "id": "$source_id", "kind": "drop", "profile": "$PWD/samples/profiles/real/chicago-cr-2000-2016.json", "policy": "$PWD/samples/policies/minnesota.json" } ] }
JSON

echo "== synthetic precinct grid"
python3 - "$work" <<'PY'
import glob, gzip, json, math, sys
work = sys.argv[1]
ids = set()
for path in glob.glob(f"{work}/releases/*/*/records/cases.jsonl.gz"):
    with gzip.open(path, "rt") as f:
        for line in f:
            p = json.loads(line)["complaint"].get("precinct")
            if p: ids.add(p)
ids = sorted(ids, key=lambda v: (len(v), v))
cols = math.ceil(math.sqrt(len(ids)))
features = []
for i, p in enumerate(ids):
    x, y = -87.9 + 0.05 * (i % cols), 42.0 - 0.05 * (i // cols)
    ring = [[x, y], [x + 0.05, y], [x + 0.05, y - 0.05], [x, y - 0.05], [x, y]]
    features.append({"type": "Feature", "properties": {"precinct": p, "name": f"District {p} (synthetic square)"},
                     "geometry": {"type": "Polygon", "coordinates": [ring]}})
json.dump({"type": "FeatureCollection", "features": features}, open(f"{work}/grid.geojson", "w"))
print(f"{len(ids)} districts")
PY

echo "== serve"
"${cli[@]}" serve --releases "$work/releases" --index "$work/index" --sources "$work/sources.json" \
  --urls "http://127.0.0.1:$api_port" --rate-limit 0 --cors-origin "http://127.0.0.1:$page_port" \
  --precincts "$work/grid.geojson" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$api_port/api/health" >/dev/null 2>&1 && break; sleep 1; done

mkdir -p "$work/page"
cat >"$work/page/index.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard review</title>
<script type="module" src="http://127.0.0.1:$api_port/widgets/openconduct.js"></script>
<style>body{font:16px system-ui,sans-serif;margin:1rem;max-width:80rem}</style></head>
<body><main id="m"></main>
<script>
  const q = new URLSearchParams(location.search);
  const name = q.get('d');
  const el = document.createElement(name === 'map' ? 'oc-map' : 'oc-dashboard');
  el.setAttribute('api', 'http://127.0.0.1:$api_port');
  if (name !== 'map') el.setAttribute('name', name);
  if (q.get('f')) el.setAttribute('filters', q.get('f'));
  if (q.get('view')) el.setAttribute('view', q.get('view'));
  document.getElementById('m').append(el);
</script></body></html>
HTML
python3 -m http.server "$page_port" --bind 127.0.0.1 --directory "$work/page" >/dev/null 2>&1 &
pages=$!
sleep 1

shot() { # name, query, width, height
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --virtual-time-budget=20000 --screenshot="$out/$1.png" \
    "http://127.0.0.1:$page_port/index.html?$2" >/dev/null 2>&1
  echo "  $out/$1.png"
}

echo "== screenshots"
shot map "d=map" 1280 900
shot demographics "d=demographics&f=by%3DcomplainantRace" 1280 1100
shot demographics-officers "d=demographics&f=by%3DofficerRace" 1280 1100
shot intake-decisions "d=intake-decisions&f=interval%3Dyear" 1280 900
shot discipline-outcomes "d=discipline-outcomes" 1280 900
shot allegation-types "d=allegation-types" 1280 1100
shot complaints-over-time "d=complaints-over-time&f=interval%3Dyear" 1280 900
shot complaints-over-time-month "d=complaints-over-time&f=interval%3Dmonth%26year%3D2012" 1280 900
shot complaints-over-time-390 "d=complaints-over-time&f=interval%3Dyear" 390 1100
shot allegations-over-time "d=allegations-over-time&f=interval%3Dyear" 1280 1000
shot timelines "d=timelines&f=to%3Dclosed" 1280 900
shot timelines-table "d=timelines&f=to%3Dclosed&view=table" 1280 1000
shot timeliness "d=timeliness" 1280 900
shot drilldown-district "d=allegation-types&f=precinct%3D11" 1280 1100

echo "== the API's answers"
for d in allegations-map allegations-over-time "demographics?by=complainantRace" "demographics?by=officerRace" "intake-decisions" discipline-outcomes \
         allegation-types complaints-over-time timelines "timelines?to=discipline" timeliness "allegation-types?precinct=11"; do
  file=$(echo "$d" | tr '?=&' '---')
  curl -fs "http://127.0.0.1:$api_port/api/dashboards/$d" >"$out/$file.json"
done
python3 - "$out" <<'PY'
import glob, json, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    d = json.load(open(path))
    cells = [v for row in d["cells"] for v in row]
    hidden = sum(v is None for v in cells)
    print(f"{os.path.basename(path):45} rows {len(d['rows']['values']):3}  cells {len(cells):4}  hidden {hidden:4} "
          f"({100 * hidden / max(1, len(cells)):5.1f}%)  total {d.get('total')}  grouping {d.get('grouping')}")
PY
