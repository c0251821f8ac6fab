#!/usr/bin/env bash
# Import benchmark (docs/performance.md): generates the exports once under $TMPDIR/openconduct-bench, then
# measures the raw CsvHelper parse and the full import of the same files in one process.
#   scripts/bench.sh                              # 1,000,000 allegations per source
#   scripts/bench.sh --allegations 100000 --source opcr
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/OpenConduct.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet tests/OpenConduct.Benchmarks/bin/Release/net10.0/OpenConduct.Benchmarks.dll "$@"
