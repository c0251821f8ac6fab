#!/usr/bin/env bash
# Benchmarks (docs/performance.md). They generate the synthetic exports once under $TMPDIR/openconduct-bench
# (--data DIR to choose), then reuse them.
# Import: the raw CsvHelper parse against the full import of the same files, in one process.
#   scripts/bench.sh                              # 1,000,000 allegations per source
#   scripts/bench.sh --allegations 100000 --source opcr
#   scripts/bench.sh --redaction                  # import into memory, then the Minnesota policy over it
# JSON import (--json): the raw System.Text.Json read (Utf8JsonReader over the file, every token) against the full import
# of the same JSON export, in one process: the opa-json shape (one document keyed by case) and a flat array of records.
#   scripts/bench.sh --json --allegations 1000000 --repeat 5 --detail   # --shape nested|flat|both (default both);
#     --detail: also a string per JSON string (what the CSV baseline pays), a JsonDocument per top-level value (what the
#     row source parses), and an import of the case number only
# Pipeline on Azurite (--pipeline): the IAU export (one ~0.5 GB CSV at 1M) served by a local Kestrel server as an
# HTTP source (strong ETag, Last-Modified, 304), pulled into exports-raw and processed into a release (full
# refresh), then refreshed with nothing new (conditional GET; new ETag on the same bytes), against a File.Copy,
# a SHA-256, a plain HTTP GET and a plain blob upload/download of the same file. Needs Azurite
# (scripts/azurite.sh start; the connection string is OPENCONDUCT_AZURITE, else UseDevelopmentStorage=true);
# exits 2 when it does not answer. Each run uses its own storage prefix ("bench" + 8 hex) and deletes it.
#   scripts/bench.sh --pipeline --allegations 1000000 --repeat 1   # --repeat: full refreshes (default 1)
#   scripts/bench.sh --pipeline --allegations 100000 --noop-repeat 5 --live
#     --noop-repeat N   conditional-GET no-ops per run (default 5; the same-hash no-op runs 3 times)
#     --live            forces full collections during processing to print the memory the records hold
# One uncached search's CPU without HTTP (--search-cpu, SearchCpuBenchmark.cs): the index call and the API handler with
# its JSON, over the HTTP benchmark's index and queries (docs/performance.md, "uncached search, second pass").
#   scripts/bench.sh --search-cpu --rounds 8 [--only index|handler|json] [--index DIR] [--queries FILE]
# HTTP API under load (--http, scripts/bench-http.sh): `openconduct serve` over a generated release and its officer
# index, driven by scripts/load.sh (wrk) for the live, search and history scenarios.
#   scripts/bench.sh --http [--allegations 1000000] [--connections 32] [--duration 20s]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--http" ]; then exec scripts/bench-http.sh "$@"; fi
dotnet build tests/OpenConduct.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet tests/OpenConduct.Benchmarks/bin/Release/net10.0/OpenConduct.Benchmarks.dll "$@"
