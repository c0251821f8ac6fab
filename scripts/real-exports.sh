#!/usr/bin/env bash
# Imports real public exports with the profiles of samples/profiles/real/ (docs/real-exports.md) and prints, per export,
# what `check` reports (every row read accounted for: imported / merged / duplicate / rejected by reason) with the
# elapsed time and the peak memory of the process. The exports are NOT in this repository (they name real people):
# pass the folder that holds them, laid out as docs/real-exports.md says:
#   scripts/real-exports.sh /path/to/real            # chicago/, seattle/, oipm/ under it
#   scripts/real-exports.sh /path/to/real --policy samples/policies/minnesota.json   # also redact (needs OPENCONDUCT_PSEUDONYM_KEY)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: scripts/real-exports.sh DATA_FOLDER [--policy POLICY]}"
shift
extra=("$@")
[ -d "$data" ] || { echo "real-exports.sh: no folder $data" >&2; exit 2; }

dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly
cli=functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll

# export name | profile | sub-folder
exports=(
  "Chicago complaint register 2000-2016|chicago-cr-2000-2016|chicago"
  "Seattle OPA closed case summaries (JSON)|seattle-opa|seattle"
  "Indianapolis complaints (Comport)|indianapolis-comport|oipm"
  "New Orleans use of force|new-orleans-uof|oipm"
)

timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f "elapsed %e s, peak memory %M KB"); fi

for entry in "${exports[@]}"; do
  IFS='|' read -r title profile folder <<<"$entry"
  echo
  echo "=================== $title: samples/profiles/real/$profile.json on $data/$folder"
  if [ ! -d "$data/$folder" ]; then
    echo "(skipped: $data/$folder does not exist)"
    continue
  fi
  "${timer[@]}" dotnet "$cli" check --profile "samples/profiles/real/$profile.json" "$data/$folder" --errors 5 "${extra[@]}" 2>&1 \
    | grep -v -E '^  [^ ].*: [0-9,]+ rows, [0-9]+%$' || true
  [ ${#timer[@]} -eq 0 ] && echo "(install GNU time, /usr/bin/time, for the elapsed time and peak memory)"
done
