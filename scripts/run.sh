#!/usr/bin/env bash
# The main job, for now: import every bundled sample export through its mapping profile (nothing is published
# yet) and print what each import read, imported and rejected. Later issues turn this into the full standalone
# server (Azurite, pull schedule, API, widgets) started by the same command.
# Needs: the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building the command line"
dotnet build functions/OpenConduct.Server -c Release -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet functions/OpenConduct.Server/bin/Release/net10.0/openconduct.dll)

status=0
for source in opcr iau cra; do
  echo
  echo "================ $source ================"
  "${cli[@]}" check --profile "samples/profiles/$source.json" "samples/exports/$source" || status=$?
done

echo
echo "Try it on your own export:"
echo "  dotnet run --project functions/OpenConduct.Server -- check --profile <profile.json> <export-folder>"
echo "Write a profile for a new format with docs/profiles.md."
exit $status
