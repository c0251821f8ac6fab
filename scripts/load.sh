#!/usr/bin/env bash
# A bounded HTTP load against a running `openconduct serve` on this machine, with wrk (docs/performance.md, "HTTP API").
#
#   scripts/load.sh --url http://127.0.0.1:7071 --scenario live
#   scripts/load.sh --url http://127.0.0.1:7071 --scenario search,history --release-folder artifacts/releases
#   scripts/load.sh --scenario search --queries my-queries.txt --duration 30s --requests 0
#
# Scenarios (several may be given, comma-separated; they run one after the other):
#   live     GET /api/health/live: constant JSON, touches nothing: the HTTP stack's ceiling
#   search   GET /api/officers?q=...: officer search, cycling over a list of queries
#   history  GET /api/officers/{id}: one officer's history, cycling over officer ids
#   mixed    what the public mixes, cycling over blocks of 20 requests: 8 searches, 5 histories, 3 dashboards (the list
#            and each dashboard the server lists), the datasets list, a download of the smallest dataset (CSV and
#            JSON in turn), and one of /api/releases/latest, /api/data.json, /api/changes (needs the search and
#            history lists as above; the dashboards and datasets are read from the server at --url)
# Where the queries and ids come from (search and history need one of these):
#   --release-folder DIR  the release folder the server serves (ingest --out): the officer documents of its live
#                         officers generation (DIR/_officers/{generation}/officers.jsonl.gz) are read with python3 and
#                         turned into --query-count queries, a quarter of each kind: prefixes as typed (the first 1 to 5
#                         letters of a first or last name), whole display names, misspelt names (one or two typos in
#                         the last name, sometimes one in the first) and badges; and into the list of every officer id.
#                         The same folder always gives the same lists (fixed seed), in a shuffled order.
#   --queries FILE        search texts, one per line (sent as q=, URL-encoded here)
#   --ids FILE            officer ids, one per line
#   --prepare DIR         only write the lists (DIR/queries.txt, DIR/ids.txt) from --release-folder, for --queries
#                         and --ids later, and exit (so that several runs read the documents once)
# Bounds: every run stops at --duration (default 10s) or after --requests completed responses (default 200000,
# shared between the threads; 0: no cap), whichever comes first. --connections (default 32), --threads (default 2),
# --timeout (wrk's per-request timeout, default 2s). --verbose also prints wrk's own report on standard error.
#
# Output, on standard output, one line per scenario (the rest goes to standard error):
#   LOAD scenario=search url=... requests=N duration_s=S rps=R p50_ms=.. p95_ms=.. p99_ms=.. max_ms=.. non2xx=N
#        socket_errors=N timeouts=N connect_errors=N read_errors=N write_errors=N statuses=200:N,... kb_per_response=K
#        capped=yes|no   (yes: every thread stopped at its share of --requests; a few responses already on their way
#        when a thread stops are counted too; duration_s is then from the first request to the last response)
# Latencies are wrk's (closed loop: each connection sends its next request when the previous answer arrives).
# Loopback only: a URL whose host is not 127.0.0.1, localhost or [::1] is refused. Exit 2 on bad usage or when wrk
# is missing and cannot be installed (it is installed with apt-get when running as root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() { sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }
fail() { echo "load.sh: $*" >&2; exit 2; }

url="http://127.0.0.1:7071"
scenarios=""
duration="10s"
requests=200000
connections=32
threads=2
timeout="2s"
release_folder=""
queries_file=""
ids_file=""
query_count=4000
verbose=0
prepare=""
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="${2:?}"; shift 2 ;;
    --scenario|--scenarios) scenarios="${2:?}"; shift 2 ;;
    --duration) duration="${2:?}"; shift 2 ;;
    --requests) requests="${2:?}"; shift 2 ;;
    --connections) connections="${2:?}"; shift 2 ;;
    --threads) threads="${2:?}"; shift 2 ;;
    --timeout) timeout="${2:?}"; shift 2 ;;
    --release-folder) release_folder="${2:?}"; shift 2 ;;
    --queries) queries_file="${2:?}"; shift 2 ;;
    --ids) ids_file="${2:?}"; shift 2 ;;
    --query-count) query_count="${2:?}"; shift 2 ;;
    --prepare) prepare="${2:?}"; shift 2 ;;
    --verbose) verbose=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "load.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

if [ -n "$prepare" ]; then
  [ -n "$release_folder" ] || fail "--prepare needs --release-folder"
  scenarios="search,history"
fi
[ -n "$scenarios" ] || fail "give --scenario live, search or history (or several, comma-separated)"
[[ "$requests" =~ ^[0-9]+$ ]] || fail "--requests must be a whole number (0: no cap)"
[[ "$connections" =~ ^[1-9][0-9]*$ && "$threads" =~ ^[1-9][0-9]*$ ]] || fail "--connections and --threads must be positive whole numbers"
[ "$connections" -ge "$threads" ] || fail "--connections ($connections) must be at least --threads ($threads)"
[ $((connections % threads)) -eq 0 ] || fail "--connections ($connections) must be a multiple of --threads ($threads): wrk gives each thread connections/threads"
[[ "$duration" =~ ^[0-9]+[smh]?$ ]] || fail "--duration must look like 10s, 2m or 30"
[[ "$query_count" =~ ^[1-9][0-9]*$ ]] || fail "--query-count must be a positive whole number"

# Loopback only: this is a load generator, not to be pointed at anybody's server.
if [[ ! "$url" =~ ^https?://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?/?$ ]]; then
  fail "refusing '$url': only http(s)://127.0.0.1, localhost or [::1] (with a port, no path) are allowed"
fi
url="${url%/}"

if [ -z "$prepare" ] && ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "load.sh: wrk is missing; installing it with apt-get" >&2
    (apt-get install -y -qq wrk >&2 || { apt-get update -qq >&2 && apt-get install -y -qq wrk >&2; }) \
      || fail "could not install wrk with apt-get; install it (Debian/Ubuntu: sudo apt-get install wrk) and retry"
  else
    fail "wrk is not installed; install it (Debian/Ubuntu: sudo apt-get install wrk, macOS: brew install wrk) and retry"
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/openconduct-load.XXXXXX")"
trap 'rm -rf "$work"' EXIT

needs_lists=0
for s in ${scenarios//,/ }; do
  case "$s" in
    live) ;;
    search|history|mixed) needs_lists=1 ;;
    *) fail "unknown scenario '$s' (live, search, history, mixed)" ;;
  esac
done

# The request paths of each scenario, one per line, URL-encoded (python3 does the reading and the encoding).
printf '/api/health/live\n' > "$work/live.paths"
if [ "$needs_lists" -eq 1 ]; then
  command -v python3 >/dev/null 2>&1 || fail "python3 is needed to prepare the queries and ids"
  if [ -z "$release_folder" ] && { [[ ",$scenarios," == *,search,* && -z "$queries_file" ]] || [[ ",$scenarios," == *,history,* && -z "$ids_file" ]] \
      || [[ ",$scenarios," == *,mixed,* && ( -z "$queries_file" || -z "$ids_file" ) ]]; }; then
    fail "search needs --queries FILE, history --ids FILE, or both --release-folder DIR (the folder the server serves)"
  fi
  python3 - "$work" "$release_folder" "$queries_file" "$ids_file" "$query_count" "$scenarios" "$prepare" "$url" <<'PY'
import gzip, json, os, random, sys, urllib.parse, urllib.request

work, release_folder, queries_file, ids_file, query_count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
wanted, prepare, base = set(sys.argv[6].split(",")), sys.argv[7], sys.argv[8]

def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]

def documents(folder):
    officers = os.path.join(folder, "_officers")
    pointer = os.path.join(officers, "latest.json")
    if os.path.exists(pointer):
        with open(pointer, encoding="utf-8") as f:
            generation = json.load(f)["release"]
    else:
        generations = sorted(d for d in os.listdir(officers) if os.path.isdir(os.path.join(officers, d)))
        if not generations:
            sys.exit(f"load.sh: no officers generation under {officers}")
        generation = generations[-1]
    path = os.path.join(officers, generation, "officers.jsonl.gz")
    if not os.path.exists(path):
        sys.exit(f"load.sh: {path} is missing: is {folder} a release folder written by ingest --out?")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield d["id"], d.get("displayName") or "", d.get("badges") or []

def words(name):
    return [w.strip(".,") for w in name.split() if len(w.strip(".,")) > 1]

def mistype(r, word, edits):
    for _ in range(edits):
        i = r.randrange(len(word))
        k = r.randrange(4)
        if k == 0:
            word = word[:i] + chr(ord("a") + r.randrange(26)) + word[i:]
        elif k == 1 and len(word) > 3:
            word = word[:i] + word[i + 1:]
        elif k == 2 and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            word = word[:i] + chr(ord("a") + r.randrange(26)) + word[i + 1:]
    return word

r = random.Random(20261123)
queries, ids, kinds = None, None, {}
if release_folder:
    docs = list(documents(release_folder))
    if not docs:
        sys.exit(f"load.sh: no officer documents in {release_folder}")
    ids = [d[0] for d in docs]
    r.shuffle(ids)
    people = [(w[0], w[-1]) for w in (words(d[1]) for d in docs) if len(w) >= 2]
    badges = [b for d in docs for b in d[2]]
    makers = []
    if people:
        def prefix():
            first, last = r.choice(people)
            word = first if r.randrange(2) == 0 else last
            return word[:1 + r.randrange(5)]
        def misspelt():
            first, last = r.choice(people)
            typed = mistype(r, last, 1 + r.randrange(2) if len(last) >= 6 else 1)
            return f"{mistype(r, first, 1)} {typed}" if r.randrange(4) == 0 and len(first) >= 3 else f"{first} {typed}"
        makers += [("prefix", prefix), ("misspelt", misspelt)]
    makers.append(("name", lambda: r.choice(docs)[1]))
    if badges:
        makers.append(("badge", lambda: r.choice(badges)))
    queries = []
    for i in range(query_count):
        kind, make = makers[i % len(makers)]
        kinds[kind] = kinds.get(kind, 0) + 1
        queries.append(make())
    r.shuffle(queries)
if queries_file:
    queries, kinds = lines(queries_file), {}
if ids_file:
    ids = lines(ids_file)
if prepare:
    os.makedirs(prepare, exist_ok=True)
    for name, items in (("queries.txt", queries), ("ids.txt", ids)):
        with open(os.path.join(prepare, name), "w", encoding="utf-8") as f:
            f.writelines(item + "\n" for item in items)
    print(f"load.sh: wrote {len(queries)} queries ({', '.join(f'{k} {v}' for k, v in kinds.items())}) and {len(ids)} officer ids to {prepare}", file=sys.stderr)
    sys.exit(0)
if queries is not None and "search" in wanted:
    with open(os.path.join(work, "search.paths"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write("/api/officers?q=" + urllib.parse.quote(q, safe="") + "\n")
    print("load.sh: search: %d queries (%s)" % (len(queries), ", ".join(f"{k} {v}" for k, v in kinds.items()) or "from " + queries_file), file=sys.stderr)
if "mixed" in wanted:
    if not queries or not ids:
        sys.exit("load.sh: mixed needs the search queries and the officer ids")
    def get(path):
        with urllib.request.urlopen(base + path, timeout=30) as answer:
            return json.load(answer)
    dashboards = ["/api/dashboards"] + ["/api/dashboards/" + urllib.parse.quote(d["name"], safe="") for d in get("/api/dashboards").get("dashboards", [])]
    datasets = sorted(get("/api/datasets").get("datasets", []), key=lambda d: d.get("csv", {}).get("bytes", 0))
    smallest = datasets[0]["name"] if datasets else None
    downloads = [f"/api/datasets/{smallest}.csv", f"/api/datasets/{smallest}.json"] if smallest else ["/api/datasets"]
    rest = ["/api/releases/latest", "/api/data.json", "/api/changes"]
    def search(i): return "/api/officers?q=" + urllib.parse.quote(queries[i % len(queries)], safe="")
    def history(i): return "/api/officers/" + urllib.parse.quote(ids[i % len(ids)], safe="")
    paths, s_i, h_i = [], 0, 0
    for block in range(1000):
        for slot in range(20):
            if slot in (0, 2, 4, 6, 8, 10, 12, 14):
                paths.append(search(s_i)); s_i += 1
            elif slot in (1, 5, 9, 13, 17):
                paths.append(history(h_i)); h_i += 1
            elif slot in (3, 11, 18):
                paths.append(dashboards[(block * 3 + slot) % len(dashboards)])
            elif slot == 7:
                paths.append("/api/datasets")
            elif slot == 15:
                paths.append(downloads[block % len(downloads)])
            else:
                paths.append(rest[block % len(rest)])
    with open(os.path.join(work, "mixed.paths"), "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in paths)
    print("load.sh: mixed: %d requests a cycle (%d dashboards, downloads of %s)" % (len(paths), len(dashboards), smallest), file=sys.stderr)
if ids is not None and "history" in wanted:
    with open(os.path.join(work, "history.paths"), "w", encoding="utf-8") as f:
        for i in ids:
            f.write("/api/officers/" + urllib.parse.quote(i, safe="") + "\n")
    print("load.sh: history: %d officer ids" % len(ids), file=sys.stderr)
PY
fi

[ -z "$prepare" ] || exit 0
for s in ${scenarios//,/ }; do
  [ -s "$work/$s.paths" ] || fail "no requests for scenario '$s' (give --release-folder, --queries or --ids)"
  echo "load.sh: $s: wrk -t$threads -c$connections -d$duration --timeout $timeout, at most $requests responses, on $url" >&2
  if ! LOAD_SCENARIO="$s" LOAD_URL="$url" wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" \
      -s "$here/load/paths.lua" "$url" -- "$work/$s.paths" "$requests" "$threads" > "$work/$s.out" 2>&1; then
    cat "$work/$s.out" >&2
    fail "wrk failed for scenario '$s'"
  fi
  if [ "$verbose" -eq 1 ]; then grep -v '^LOAD ' "$work/$s.out" >&2 || true; fi
  grep '^LOAD ' "$work/$s.out" || { cat "$work/$s.out" >&2; fail "wrk printed no result line for scenario '$s'"; }
done
