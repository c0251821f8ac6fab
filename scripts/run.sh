#!/usr/bin/env bash
# The main job: the standalone server on the bundled samples, on one machine.
#   1. installs what is missing (Azurite, pinned in package.json, with npm ci) and builds the server;
#   2. starts Azurite (local Azure Storage) and `openconduct serve` on http://127.0.0.1:7071 with samples/sources.json
#      (four sources whose exports an agency drops into exports-incoming/{source}/);
#   3. drops the four sample exports as the agencies would (`openconduct drop`); the server pulls them into
#      exports-raw, imports and redacts them (Example City's three under the Minnesota policy, the CCRB-shaped one
#      under the New York policy), publishes a release per source and indexes
#      the officers (its progress log shows each step);
#   4. serves samples/widgets/embed.html (a civil-rights office's page embedding the widgets) from a second origin,
#      http://127.0.0.1:8080, which the server allows by CORS;
#   5. waits until every release is live and prints URLs to try.
# Ctrl-C stops everything it started. Options: --port N (the API, default 7071), --page-port N (the page, default 8080).
# Needs: the .NET 10 SDK, Node.js 20 with npm, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

port=7071
page_port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --page-port) page_port="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
base="http://127.0.0.1:$port"
page="http://127.0.0.1:$page_port"

for tool in dotnet node npm python3 curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed and not installed" >&2; exit 2; }
done
if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
  echo "run.sh: something already listens on 127.0.0.1:$port (another server?); stop it or use --port" >&2
  exit 2
fi

echo "== building the server"
dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll)

echo "== local storage (Azurite)"
mkdir -p artifacts
azurite_before=$(cat artifacts/azurite.pid 2>/dev/null || true)
bash scripts/azurite.sh start
server_pid=
page_pid=
stop_all() {
  trap - EXIT INT TERM
  echo
  if [ -n "$page_pid" ] && kill -0 "$page_pid" 2>/dev/null; then
    kill "$page_pid" 2>/dev/null || true
    wait "$page_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo "== stopping the server"
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$(cat artifacts/azurite.pid 2>/dev/null || true)" != "$azurite_before" ]; then
    echo "== stopping Azurite"
    bash scripts/azurite.sh stop || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The policy's pseudonymization key. In Azure it is an app setting from Key Vault; here a key made once for this
# working copy (pseudonyms stay stable across runs, and mean nothing outside it).
if [ -z "${OPENCONDUCT_PSEUDONYM_KEY:-}" ]; then
  [ -s artifacts/pseudonym.key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(48))' >artifacts/pseudonym.key
  OPENCONDUCT_PSEUDONYM_KEY=$(cat artifacts/pseudonym.key)
  export OPENCONDUCT_PSEUDONYM_KEY
  echo "(using the local demo pseudonymization key in artifacts/pseudonym.key)"
fi
# The admin key for POST /api/pipeline/refresh, made once like the pseudonymization key.
if [ -z "${OPENCONDUCT_ADMIN_KEY:-}" ]; then
  [ -s artifacts/admin.key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(32))' >artifacts/admin.key
  OPENCONDUCT_ADMIN_KEY=$(cat artifacts/admin.key)
  export OPENCONDUCT_ADMIN_KEY
fi

echo "== starting the server on $base"
"${cli[@]}" serve --urls "$base" --sources samples/sources.json --index artifacts/index --watch 2 --cors-origin "$page" &
server_pid=$!

# The embedding page, from another origin (as the city's website would be).
if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$page_port" 2>/dev/null; then
  echo "run.sh: 127.0.0.1:$page_port is taken: the embed page is not served (use --page-port)" >&2
else
  python3 -m http.server "$page_port" --bind 127.0.0.1 --directory samples/widgets >/dev/null 2>&1 &
  page_pid=$!
fi

for _ in $(seq 1 100); do
  curl -fs "$base/api/health/live" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the server stopped (see its output above)" >&2; exit 1; }
  sleep 0.3
done

echo "== dropping the sample exports into exports-incoming, as the agencies would"
for source in opcr iau cra ccrb; do
  "${cli[@]}" drop --source "$source" "samples/exports/$source" | tail -n 1
done

echo "== waiting until every release is live and the officers are indexed"
ready=
for _ in $(seq 1 300); do
  if curl -fs "$base/api/health" 2>/dev/null | python3 -c 'import json,sys; h=json.load(sys.stdin); sys.exit(0 if h["status"]=="ok" else 1)'; then
    ready=1
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the server stopped (see its output above)" >&2; exit 1; }
  sleep 1
done
[ -n "$ready" ] || { echo "run.sh: the releases did not go live within 5 minutes; /api/health says:" >&2; curl -s "$base/api/health" >&2; exit 1; }

# URLs that return something on the samples: an officer with complaints, a case of theirs.
python3 - "$base" "$page" <<'PY'
import json, sys, urllib.parse, urllib.request
base, page = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(base + path))
top = max(get("/api/officers?q=a")["officers"] + get("/api/officers?q=e")["officers"], key=lambda o: o["complaints"])
history = get("/api/officers/" + top["id"])
case = history["complaints"][0]["caseNumber"] if history.get("complaints") else None
surname = top["displayName"].split()[-1]
print(f"""
================ OpenConduct is running on {base} ================
  the city's page with the widgets: {page}/embed.html
  officer search (type-ahead): {base}/api/officers?q={urllib.parse.quote(surname[:4])}
  search with a typo:          {base}/api/officers?q={urllib.parse.quote(surname[:2] + surname[3:] if len(surname) > 4 else surname)}
  by badge:                    {base}/api/officers?badge={top.get("currentBadge", "")}
  officer history:             {base}/api/officers/{top["id"]}   ({top["displayName"]}, {top["complaints"]} complaints)""")
if case:
    print(f"  case status:                 {base}/api/complaints/{urllib.parse.quote(case)}")
print(f"""  live releases:               {base}/api/releases/latest
  change feed:                 {base}/api/changes
  dashboards:                  {base}/api/dashboards   (one: {base}/api/dashboards/allegation-types?precinct=3)
  open datasets:               {base}/api/datasets   (catalog: {base}/api/data.json)
  health:                      {base}/api/health
  OpenAPI:                     {base}/api/openapi.json   (examples: samples/requests.http)
  refresh a source now:        curl -X POST -H "x-functions-key: $(cat artifacts/admin.key)" "{base}/api/pipeline/refresh?source=opcr"
  review console:              {base}/review/   (sign in with your name and the admin key in artifacts/admin.key;
                               the samples' policy needs no review: set "review": "required" under "scrubbing" in
                               samples/policies/minnesota.json to try it, docs/review.md)
  drop a new export:           dotnet functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll drop --source opcr <folder>
Ctrl-C stops the server, the page and Azurite.""")
PY

wait "$server_pid"
