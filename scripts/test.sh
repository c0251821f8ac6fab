#!/usr/bin/env bash
# Builds every project of Functions.sln (the Azure Functions app included: its worker packages are on the feed) and
# runs every test project, then ends with one line "N passed, N failed, N skipped" summed over all test projects.
# Needs: the .NET 10 SDK, and Node.js 20 with npm for Azurite and axe-core. Installs them (pinned in package.json and
# package-lock.json) into node_modules/ with `npm ci` when they are missing, and runs it on 127.0.0.1 with a temporary
# data folder for the tests (scripts/azurite.sh; an Azurite already answering on ports 10000/10002 is reused and
# left running). Without Azurite the tests that need it skip, with a message. Then compiles and lints the Bicep of
# infra/ (scripts/bicep.sh, the Bicep CLI restored from NuGet), counted as one check. Chromium arrives with the browser tests.
set -uo pipefail
cd "$(dirname "$0")/.."

results="${TEST_RESULTS_DIR:-artifacts/test-results}"
rm -rf "$results"
mkdir -p "$results"

echo "== restore and build (Release)"
dotnet build Functions.sln -c Release -nologo -v minimal || { echo "0 passed, 1 failed"; exit 1; }

echo "== azurite"
# Stop on exit only an instance started here (not one a developer started earlier with scripts/azurite.sh start).
before=$(cat artifacts/azurite.pid 2>/dev/null)
trap '[ "$(cat artifacts/azurite.pid 2>/dev/null)" != "$before" ] && bash scripts/azurite.sh stop' EXIT
bash scripts/azurite.sh start || echo "warning: Azurite did not start: the Azurite tests will skip" >&2
export OPENCONDUCT_AZURITE="${OPENCONDUCT_AZURITE:-UseDevelopmentStorage=true}"

echo "== axe-core"
# The accessibility checks of the browser tests run axe-core (pinned in package.json) inside the pages: `npm ci` when a
# node_modules/ from before it lacks it (Azurite's start above installs everything on a fresh clone).
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error || echo "warning: npm ci failed: the accessibility checks will skip" >&2
fi

echo "== chromium"
# The browser tests (tests/OpenConduct.Browser.Tests) drive Debian's Chromium through Playwright, never a downloaded
# browser: installed here when missing and this runs as root with apt; otherwise those tests skip with a message.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; } >artifacts/chromium-install.log 2>&1 \
      || echo "warning: chromium could not be installed (artifacts/chromium-install.log): the browser tests will skip" >&2
  else
    echo "warning: chromium is missing (Debian package chromium; install it as root): the browser tests will skip" >&2
  fi
fi
command -v chromium >/dev/null 2>&1 && chromium --version 2>/dev/null

echo "== test"
dotnet test Functions.sln -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" -v minimal
status=$?

echo "== infra: Bicep compile and lint (scripts/bicep.sh)"
# Counted as one check in the summary: infra/main.bicep and every module compile and lint without a warning.
bicep_failed=0
bash scripts/bicep.sh || bicep_failed=1

# Sum the counters of every TRX file (one per test project), plus the Bicep check.
python3 - "$results" "$bicep_failed" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    # A skipped test is counted in "total" but not in "executed" (its result says NotExecuted; the counter may stay 0).
    skipped += max(int(c.get("notExecuted", 0)), int(c.get("total", 0)) - int(c.get("executed", 0)))
if not files:
    failed += 1
    print("no test results were written", file=sys.stderr)
if sys.argv[2] == "1":
    failed += 1
    print("infra: the Bicep check failed (see above)", file=sys.stderr)
else:
    passed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
