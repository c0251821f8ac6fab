#!/usr/bin/env bash
# Builds and lints the Azure infrastructure offline: restores the Bicep CLI from NuGet (tools/Bicep/Bicep.csproj,
# package Azure.Bicep.CommandLine.linux-x64, version in Directory.Packages.props), compiles infra/main.bicep to an
# ARM template in artifacts/bicep/ and lints every .bicep file under infra/ with infra/bicepconfig.json. Exits
# non-zero on any error or warning. No network: nothing is restored from a module registry (--no-restore) and any
# HTTP request Bicep might make goes to a proxy that does not exist.
# Needs: the .NET 10 SDK, Linux x64.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/bicep
mkdir -p "$out"

version=$(sed -n 's/.*<PackageVersion Include="Azure.Bicep.CommandLine.linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
if [ -z "$version" ]; then
  echo "bicep.sh: no PackageVersion of Azure.Bicep.CommandLine.linux-x64 in Directory.Packages.props" >&2
  exit 2
fi

echo "== restoring the Bicep CLI $version (tools/Bicep/Bicep.csproj)"
dotnet restore tools/Bicep/Bicep.csproj -nologo -v quiet

packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "bicep.sh: $bicep not found after the restore" >&2
  exit 2
fi
chmod +x "$bicep"
echo "   $bicep ($("$bicep" --version))"

# Offline: --no-restore (no module registry; the templates use none), and a dead proxy for any other request.
run_bicep() {
  env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 NO_PROXY= \
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9 no_proxy= \
    "$bicep" "$@"
}

status=0
log="$out/bicep.log"
: >"$log"

echo "== bicep build infra/main.bicep -> $out/main.json"
run_bicep build infra/main.bicep --outfile "$out/main.json" --no-restore 2>&1 | tee -a "$log" || status=1

echo "== bicep lint infra/**/*.bicep (rules: infra/bicepconfig.json)"
run_bicep lint --pattern 'infra/**/*.bicep' --no-restore 2>&1 | tee -a "$log" || status=1

echo "== hooks and parameters"
for hook in infra/hooks/*.sh; do
  sh -n "$hook" 2>&1 | tee -a "$log" || status=1
  echo "   sh -n $hook"
done
python3 -m json.tool infra/main.parameters.json >/dev/null 2>>"$log" || status=1
echo "   infra/main.parameters.json is JSON"

findings=$(grep -cE '\) : (Error|Warning|Info) ' "$log" || true)
if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  echo "FAILED: $findings finding(s), see above ($log)"
  exit 1
fi
echo "OK: $out/main.json built, no errors or warnings"
