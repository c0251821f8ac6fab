#!/usr/bin/env bash
# The main job, for now: runs the pipeline once on the three bundled sample exports, on local Azure Storage
# (Azurite): each sample is dropped into exports-incoming/{source}/ as an agency would, pulled into exports-raw,
# imported, redacted under the Minnesota policy and published as a release, written to artifacts/releases/ so that
# its files can be browsed; after each release the officers of every live release are indexed in artifacts/index/
# (try: dotnet run --project functions/OpenConduct.Server -- search <name>). Later issues turn this into the standalone server (schedule, API, widgets).
# Needs: the .NET 10 SDK, Node.js 20 (Azurite is installed from package.json by scripts/azurite.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building the command line"
dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll)

echo "== local storage"
scripts/azurite.sh start

# The policy's pseudonymization key. In Azure it is an app setting from Key Vault; here a key made once for this
# working copy (pseudonyms stay stable across runs, and mean nothing outside it).
if [ -z "${OPENCONDUCT_PSEUDONYM_KEY:-}" ]; then
  mkdir -p artifacts
  [ -s artifacts/pseudonym.key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(48))' >artifacts/pseudonym.key
  OPENCONDUCT_PSEUDONYM_KEY=$(cat artifacts/pseudonym.key)
  export OPENCONDUCT_PSEUDONYM_KEY
  echo "(using the local demo pseudonymization key in artifacts/pseudonym.key)"
fi

status=0
for source in opcr iau cra; do
  echo
  echo "================ $source ================"
  "${cli[@]}" ingest --source "$source" --drop "samples/exports/$source" --out artifacts/releases || status=$?
done

echo
echo "Releases: artifacts/releases/{source}/latest.json points at the live one (docs/releases.md describes the files)."
echo "Runs and raw exports are in Azurite (still running; stop it with scripts/azurite.sh stop)."
echo "Publish your own export folder:"
echo "  dotnet run --project functions/OpenConduct.Server -- ingest --profile <profile.json> --policy samples/policies/minnesota.json <export-folder> --out <folder>"
exit $status
