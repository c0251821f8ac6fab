#!/usr/bin/env bash
# Azurite (the local Azure Storage emulator, pinned in package.json) for the integration tests and local runs.
#   scripts/azurite.sh start   installs it with `npm ci` when node_modules lacks it, starts it in the background on
#                              127.0.0.1 (blob 10000, queue 10001, table 10002) with a fresh data folder, and waits
#                              until the blob and table ports answer. If they answer already, reuses that instance
#                              (and records nothing, so `stop` leaves it running).
#   scripts/azurite.sh stop    stops the instance `start` started and removes its data folder.
# Records: artifacts/azurite.pid, artifacts/azurite.dir; its output goes to artifacts/azurite.log.
# Connection string: UseDevelopmentStorage=true.
set -uo pipefail
cd "$(dirname "$0")/.."

pid_file=artifacts/azurite.pid
dir_file=artifacts/azurite.dir
log_file=artifacts/azurite.log
wait_seconds=30

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
both_answer() { answers 10000 && answers 10002; }
fail() { echo "azurite.sh: $*" >&2; exit 1; }

is_ours() { # the recorded PID is a live Azurite process
  [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q azurite
}

start() {
  if both_answer; then
    echo "azurite.sh: Azurite already answers on 127.0.0.1:10000 and :10002; reusing it"
    return 0
  fi

  if [ ! -x node_modules/.bin/azurite ]; then
    command -v npm >/dev/null || fail "npm is missing (Azurite comes from npm; install Node.js 20)"
    echo "azurite.sh: installing Azurite (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
  fi

  mkdir -p artifacts
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/openconduct-azurite.XXXXXX") || fail "cannot create a data folder"
  node_modules/.bin/azurite --silent --location "$dir" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --skipApiVersionCheck --disableTelemetry >"$log_file" 2>&1 &
  local pid=$!
  disown "$pid" 2>/dev/null || true
  echo "$pid" >"$pid_file"
  echo "$dir" >"$dir_file"

  local waited=0
  until both_answer; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log_file" >&2
      stop
      fail "Azurite exited before its ports answered (log above, from $log_file)"
    fi
    if [ "$waited" -ge $((wait_seconds * 5)) ]; then
      tail -n 20 "$log_file" >&2
      stop
      fail "Azurite did not answer on 127.0.0.1:10000 and :10002 within ${wait_seconds}s"
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "azurite.sh: Azurite $(node -p 'require("./node_modules/azurite/package.json").version' 2>/dev/null) started (pid $pid, data $dir)"
}

stop() {
  if [ -f "$pid_file" ]; then
    local pid
    pid=$(cat "$pid_file")
    if is_ours "$pid"; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$pid_file"
  fi
  if [ -f "$dir_file" ]; then
    local dir
    dir=$(cat "$dir_file")
    case "$dir" in
      */openconduct-azurite.*) rm -rf -- "$dir" ;;
    esac
    rm -f "$dir_file"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: scripts/azurite.sh start|stop" >&2; exit 2 ;;
esac
