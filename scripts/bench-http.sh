#!/usr/bin/env bash
# The HTTP API under load (docs/performance.md, "HTTP API"); run through scripts/bench.sh --http.
#
#   scripts/bench.sh --http                                   # 1,000,000 allegations, 32 connections, 20 s per scenario
#   scripts/bench.sh --http --allegations 100000 --duration 10s --connections 64
#   scripts/bench.sh --http --officers-cache 0              # the server's output cache off: every request searched
#
# 1. The data, built once and reused from $TMPDIR/openconduct-bench (--data DIR): the OPCR export opcr-{N} (the
#    same folder and bytes as the other benchmarks' BenchExports: `openconduct generate --source opcr`), then its
#    release and officer index http-opcr-{N}/{releases,index} (`openconduct ingest --profile samples/profiles/opcr.json
#    --policy samples/policies/minnesota.json`, a fixed pseudonym key unless OPENCONDUCT_PSEUDONYM_KEY is set).
# 2. `openconduct serve --releases ... --index ... --rate-limit 0` (Release build) on a free loopback port, with a
#    sources file naming only opcr; waits for /api/health/live, then checks /api/health.
# 3. A warm-up of every scenario (--warmup, default 10s each, not reported), then, against the same server process,
#    scripts/load.sh for live, search and history in turn (--duration, default 20s, and at most --requests responses,
#    default 1000000 here; --connections 32, --threads 2), with the server's CPU time per request read from /proc.
# 4. The figures, the ratios search/live and history/live (throughput), the p99s, and the target: search throughput
#    at least half of live's and search p99 under 20 ms at 32 connections.
# --mixed: instead of 3. and 4., the mixed public load (scripts/load.sh --scenario mixed: searches, histories,
#    dashboards, the datasets list and catalog, dataset downloads, the latest releases and the change feed) at
#    --connections (default 256 here) for --duration (default 180s here), wrk's --timeout 10s (downloads of several
#    MB share two cores with 255 other clients; 2s for the other scenarios), with the server's request log at Debug; the
#    summary gives wrk's figures and, per route, the server's own time to answer (p50, p95, p99, max, from its
#    request log) and every status that was not 2xx. Target: no error, no non-2xx answer.
#      scripts/bench.sh --http --mixed                       # 1,000,000 allegations, 256 connections, 3 minutes
# The server is stopped on exit (its log: --keep-log FILE keeps it). wrk runs on the same machine as the server and
# takes part of its cores: read the figures as the API's on this machine with its load generator beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

allegations=1000000
connections=32
threads=2
duration=20s
warmup=10s
requests=1000000
data="${TMPDIR:-/tmp}/openconduct-bench"
keep_log=""
officers_cache=""   # the server's default (the output cache on); 0 measures every search and history uncached
mixed=0
timeout=2s
given_connections=""
given_duration=""
while [ $# -gt 0 ]; do
  case "$1" in
    --http) shift ;;
    --mixed) mixed=1; shift ;;
    --timeout) timeout="${2:?}"; given_timeout=1; shift 2 ;;
    --allegations) allegations="${2:?}"; shift 2 ;;
    --connections) connections="${2:?}"; given_connections=1; shift 2 ;;
    --threads) threads="${2:?}"; shift 2 ;;
    --duration) duration="${2:?}"; given_duration=1; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --requests) requests="${2:?}"; shift 2 ;;
    --officers-cache) officers_cache="${2:?}"; shift 2 ;;
    --data) data="${2:?}"; shift 2 ;;
    --keep-log) keep_log="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-http.sh: unknown argument '$1' (see scripts/bench-http.sh --help)" >&2; exit 2 ;;
  esac
done
if [ "$mixed" -eq 1 ]; then
  [ -n "$given_connections" ] || connections=256
  [ -n "$given_duration" ] || duration=180s
  [ -n "${given_timeout:-}" ] || timeout=10s   # a dataset download of several MB shares the cores with 255 other clients
fi
[[ "$allegations" =~ ^[1-9][0-9]*$ ]] || { echo "bench-http.sh: --allegations must be a positive whole number" >&2; exit 2; }
for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-http.sh: $tool is needed" >&2; exit 2; }
done

echo "== build (Release)" >&2
dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly >&2
cli=(dotnet "$repo/functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll")

# 1. The export and its release with the officer index, each generated once (a .complete marker says it is whole, and
#    names the generator's shape: an export of an older shape, and the release built from it, are made again).
mkdir -p "$data"
export_dir="$data/opcr-$allegations"
shape="shape $(sed -n 's/.*const int ShapeVersion = \([0-9]*\);.*/\1/p' samples/OpenConduct.Samples/SyntheticExports.cs)"
if [ "$(cat "$export_dir/.complete" 2>/dev/null)" != "$shape" ]; then
  echo "== generating the OPCR export of $allegations allegations into $export_dir" >&2
  rm -rf "$export_dir"
  "${cli[@]}" generate --source opcr --allegations "$allegations" --out "$export_dir" >&2
  echo "$shape" > "$export_dir/.complete"
fi
served="$data/http-opcr-$allegations"
if [ "$(cat "$served/.complete" 2>/dev/null)" != "$shape" ]; then
  echo "== publishing the release and indexing its officers into $served" >&2
  building="$served.building-$$"
  rm -rf "$building"
  started=$(date +%s)
  OPENCONDUCT_PSEUDONYM_KEY="${OPENCONDUCT_PSEUDONYM_KEY:-openconduct-bench-pseudonym-key-0123456789}" \
    "${cli[@]}" ingest --profile samples/profiles/opcr.json --policy samples/policies/minnesota.json "$export_dir" \
      --out "$building/releases" --index "$building/index" > "$building.log" 2>&1 \
    || { tail -20 "$building.log" >&2; rm -rf "$building"; echo "bench-http.sh: ingest failed (log: $building.log)" >&2; exit 1; }
  grep -E '^(release |officers: )' "$building.log" >&2 || true
  echo "   (ingest took $(( $(date +%s) - started )) s)" >&2
  rm -f "$building.log"
  echo "$shape" > "$building/.complete"
  rm -rf "$served"
  mv "$building" "$served"
fi

# 2. The server, on a free loopback port, stopped on exit.
run="$(mktemp -d "${TMPDIR:-/tmp}/openconduct-bench-http.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$keep_log" ] && [ -f "$run/server.log" ]; then cp "$run/server.log" "$keep_log"; fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat > "$run/sources.json" <<EOF
{
  "publisher": { "name": "Benchmark", "contactName": "Benchmark", "contactEmail": "bench@example.org",
                 "license": "https://opendatacommons.org/licenses/pddl/1-0/", "baseUrl": "http://127.0.0.1/api/releases/" },
  "sources": [ { "id": "opcr", "kind": "drop", "profile": "$repo/samples/profiles/opcr.json", "policy": "$repo/samples/policies/minnesota.json" } ]
}
EOF
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
echo "== serve on $base" >&2
request_log=Information
[ "$mixed" -eq 0 ] || request_log=Debug   # every answer's route, status and time, for the per-route figures
env "Logging__LogLevel__OpenConduct.Requests=$request_log" "${cli[@]}" serve --releases "$served/releases" --index "$served/index" --sources "$run/sources.json" \
  --urls "$base" --rate-limit 0 ${officers_cache:+--officers-cache "$officers_cache"} > "$run/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "$base/api/health/live" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$run/server.log" >&2; echo "bench-http.sh: the server exited" >&2; exit 1; fi
  sleep 0.1
done
curl -fsS -o /dev/null "$base/api/health/live" || { cat "$run/server.log" >&2; echo "bench-http.sh: no answer from $base/api/health/live after 60 s" >&2; exit 1; }
health="$(curl -fsS "$base/api/health")"
echo "   /api/health: $health" >&2
case "$health" in *'"status":"ok"'*) ;; *) echo "bench-http.sh: the server is not healthy" >&2; exit 1 ;; esac

# The queries and ids, read once from the served release's officer documents.
scripts/load.sh --release-folder "$served/releases" --prepare "$run/lists" >&2
load=(scripts/load.sh --url "$base" --queries "$run/lists/queries.txt" --ids "$run/lists/ids.txt" --connections "$connections" --threads "$threads" --timeout "$timeout")
# CPU accounting (clock ticks), to say how much of the machine the server, the load generator and everything else took.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }        # the server's utime + stime
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }                 # this script's finished children: load.sh, wrk
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; } # every process on the machine
hz="$(getconf CLK_TCK)"

if [ "$mixed" -eq 1 ]; then
  echo "== warm-up: $warmup (mixed)" >&2
  "${load[@]}" --scenario mixed --duration "$warmup" --requests 0 > "$run/warmup-mixed.txt" 2>&1 \
    || { cat "$run/warmup-mixed.txt" >&2; echo "bench-http.sh: warm-up of mixed failed" >&2; exit 1; }
  offset="$(stat -c %s "$run/server.log")"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== measured: mixed, $duration and at most $requests responses, $connections connections, $threads wrk threads" >&2
  s0="$(server_ticks)"; c0="$(children_ticks)"; b0="$(busy_ticks)"
  "${load[@]}" --scenario mixed --duration "$duration" --requests "$requests" > "$run/mixed.txt"
  s1="$(server_ticks)"; c1="$(children_ticks)"; b1="$(busy_ticks)"
  kill -0 "$server_pid" 2>/dev/null || { tail -50 "$run/server.log" >&2; echo "bench-http.sh: the server died during the load" >&2; exit 1; }
  rss_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")"
  cat "$run/mixed.txt"
  echo "load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); CPU s: server $(( (s1 - s0) / hz )), wrk $(( (c1 - c0) / hz )), others $(( (b1 - b0 - s1 + s0 - c1 + c0) / hz ))"
  python3 - "$run/server.log" "$offset" "$run/mixed.txt" "$allegations" "$connections" "$rss_kb" <<'PY'
import re, sys
log, offset, result, allegations, connections, rss_kb = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6] or 0)
wrk = dict(f.split("=", 1) for f in open(result, encoding="utf-8").read().split() if "=" in f)
with open(log, "rb") as f:
    f.seek(offset)
    text = f.read().decode("utf-8", "replace")
routes, odd = {}, {}
for m in re.finditer(r"OpenConduct\.Requests\[\d+\] (GET|POST|HEAD) (\S+) (\d{3}) ([\d.]+) ms", text):
    route, status, ms = m.group(2), int(m.group(3)), float(m.group(4))
    routes.setdefault(route, []).append(ms)
    if not 200 <= status < 400:
        odd[(route, status)] = odd.get((route, status), 0) + 1
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
errors = int(wrk["non2xx"]) + int(wrk["socket_errors"]) + int(wrk["timeouts"]) + int(wrk.get("connect_errors", 0)) + int(wrk.get("read_errors", 0)) + int(wrk.get("write_errors", 0))
print()
print(f"HTTP API, mixed load, {allegations:,} allegations, {connections} connections; server peak working set {rss_kb / 1024:,.0f} MB")
print(f"wrk: {int(wrk['requests']):,} responses in {float(wrk['duration_s']):.1f} s, {float(wrk['rps']):,.0f} req/s, p50 {wrk['p50_ms']} ms, "
      f"p99 {wrk['p99_ms']} ms, max {wrk['max_ms']} ms, errors {errors} (non-2xx {wrk['non2xx']}, socket {wrk['socket_errors']}, timeouts {wrk['timeouts']})")
print("server time per route (from its request log, 0.1 ms resolution):")
print(f"{'route':<40} {'answers':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for route, values in sorted(routes.items(), key=lambda kv: -len(kv[1])):
    print(f"{route:<40} {len(values):>9,} {pct(values, 50):>8.1f} {pct(values, 95):>8.1f} {pct(values, 99):>8.1f} {max(values):>8.1f}")
for (route, status), n in sorted(odd.items()):
    print(f"NOT 2xx/3xx: {route} {status} x{n}")
print(f"TARGET no error and no non-2xx answer under {connections} connections: {'met' if errors == 0 and not odd else 'NOT met'}")
PY
  exit 0
fi

# 3. Warm-up (JIT, tiered compilation, caches), then the measured runs, one scenario at a time.
echo "== warm-up: $warmup per scenario" >&2
for s in live search history; do
  "${load[@]}" --scenario "$s" --duration "$warmup" --requests 0 > "$run/warmup-$s.txt" 2>/dev/null \
    || { cat "$run/warmup-$s.txt" >&2; echo "bench-http.sh: warm-up of $s failed" >&2; exit 1; }
done
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== measured: $duration and at most $requests responses per scenario, $connections connections, $threads wrk threads" >&2
for s in live search history; do
  s0="$(server_ticks)"; c0="$(children_ticks)"; b0="$(busy_ticks)"; t0="$(date +%s.%N)"
  "${load[@]}" --scenario "$s" --duration "$duration" --requests "$requests" > "$run/$s.txt"
  s1="$(server_ticks)"; c1="$(children_ticks)"; b1="$(busy_ticks)"; t1="$(date +%s.%N)"
  line="$(cat "$run/$s.txt") $(awk -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v b=$((b1 - b0)) -v hz="$hz" -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    'BEGIN { printf "server_cpu_s=%.2f load_cpu_s=%.2f other_cpu_s=%.2f wall_s=%.2f", s / hz, c / hz, (b - s - c) / hz, t }')"
  echo "$line" > "$run/$s.txt"
  echo "$line"
done
kill -0 "$server_pid" 2>/dev/null || { cat "$run/server.log" >&2; echo "bench-http.sh: the server died during the load" >&2; exit 1; }
rss_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")"
echo "load average (1, 5, 15 min) before the measured runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. The summary.
python3 - "$run" "$allegations" "$connections" "$(nproc)" "$rss_kb" <<'PY'
import os, sys
run, allegations, connections, cores, rss_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5] or 0)
rows = {}
for s in ("live", "search", "history"):
    line = open(os.path.join(run, s + ".txt"), encoding="utf-8").read().split()
    rows[s] = {k: v for k, v in (f.split("=", 1) for f in line if "=" in f)}
print()
print(f"HTTP API, {allegations:,} allegations, {connections} connections, {cores} cores (wrk on the same machine); server peak working set {rss_kb / 1024:,.0f} MB")
print(f"{'scenario':<8} {'requests':>10} {'seconds':>8} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'KB/resp':>8} {'errors':>7} "
      f"{'server CPU/req':>14} {'CPU s: server':>14} {'wrk':>6} {'others':>7}")
for s, r in rows.items():
    errors = int(r["non2xx"]) + int(r["socket_errors"]) + int(r["timeouts"])
    cpu_us = float(r["server_cpu_s"]) / max(1, int(r["requests"])) * 1e6
    print(f"{s:<8} {int(r['requests']):>10,} {float(r['duration_s']):>8.2f} {float(r['rps']):>9,.0f} {float(r['p50_ms']):>8.2f} {float(r['p95_ms']):>8.2f} "
          f"{float(r['p99_ms']):>8.2f} {float(r['max_ms']):>8.1f} {float(r['kb_per_response']):>8.2f} {errors:>7} {cpu_us:>11.0f} µs "
          f"{float(r['server_cpu_s']):>14.1f} {float(r['load_cpu_s']):>6.1f} {float(r['other_cpu_s']):>7.1f}")
print(f"(CPU s: CPU seconds used during each scenario's {float(rows['live']['wall_s']):.0f} s or so by the server, by load.sh and wrk, and by every other process "
      f"on the machine, of the {cores} cores x seconds there are; 'others' well above 0 means the run shared the machine)")
live, search, history = (float(rows[s]["rps"]) for s in ("live", "search", "history"))
print(f"RATIO search/live={search / live:.3f} history/live={history / live:.3f} "
      f"p99_ms live={rows['live']['p99_ms']} search={rows['search']['p99_ms']} history={rows['history']['p99_ms']}")
throughput_ok, p99_ok = search >= 0.5 * live, float(rows["search"]["p99_ms"]) < 20
errors_ok = all(int(r["non2xx"]) + int(r["socket_errors"]) + int(r["timeouts"]) == 0 for r in rows.values())
print(f"TARGET search throughput >= 0.5 x live: {'met' if throughput_ok else 'NOT met'} ({search / live:.2f} x); "
      f"search p99 < 20 ms at {connections} connections: {'met' if p99_ok else 'NOT met'} ({float(rows['search']['p99_ms']):.1f} ms)"
      + ("" if errors_ok else "; some requests failed (see errors)"))
PY
