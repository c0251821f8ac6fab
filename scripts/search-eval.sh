#!/usr/bin/env bash
# Measures the officer search on a real roster (docs/search.md, "Measured on a real roster"): publishes the Chicago
# complaint register export with its profile (samples/profiles/real/chicago-cr-2000-2016.json) under the Minnesota
# policy into a temporary folder, indexes its officers as the pipeline does, generates labelled queries by rule and
# prints recall@1, recall@10 and MRR per query kind as the markdown table docs/search.md quotes. The export is NOT in
# this repository (it names real people): pass the folder that holds it, laid out as docs/real-exports.md says:
#   scripts/search-eval.sh /path/to/real                                   # uses /path/to/real/chicago
#   scripts/search-eval.sh /path/to/real --write-queries /tmp/chicago-queries.jsonl   # keep the set OUTSIDE the repository
#   scripts/search-eval.sh /path/to/real --queries /tmp/chicago-queries.jsonl         # re-run the same set
# Any further arguments go to `openconduct search-eval` (--seed, --per-kind, --misses: see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: scripts/search-eval.sh DATA_FOLDER [search-eval options]}"
shift
[ -d "$data/chicago" ] || { echo "search-eval.sh: no folder $data/chicago" >&2; exit 2; }

dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly >&2
cli=functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll

timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f "elapsed %e s, peak memory %M KB"); fi
"${timer[@]}" dotnet "$cli" search-eval "$data/chicago" --profile samples/profiles/real/chicago-cr-2000-2016.json \
  --policy samples/policies/minnesota.json "$@"
