-- wrk script of scripts/load.sh: GET request paths read from a file (one per line, already URL-encoded), cycled,
-- with a cap on the completed requests shared between the threads; one result line printed by done().
--   wrk -t T -c C -d D -s scripts/load/paths.lua URL -- PATHS_FILE CAP THREADS
-- CAP 0 means no cap (the duration alone bounds the run). Environment: LOAD_SCENARIO, LOAD_URL (for the line).
-- Each wrk thread has its own Lua state: setup() (main state) numbers the threads before their init() runs, and
-- done() (main state) reads every thread's counters back with thread:get().

local threads = {}
local next_id = 0

function setup(thread)
   next_id = next_id + 1
   thread:set("id", next_id)
   table.insert(threads, thread)
end

-- wrk's own duration is always the full --duration (its main thread sleeps that long, even when every thread has
-- stopped at its cap), so each thread notes the wall-clock times of its first request and of its last response.
local ffi = require("ffi")
ffi.cdef[[
   typedef struct { long tv_sec; long tv_nsec; } load_timespec;
   int clock_gettime(int clock_id, load_timespec *tp);
]]
local now_ts = ffi.new("load_timespec")
local function now_us()
   ffi.C.clock_gettime(1, now_ts)   -- CLOCK_MONOTONIC: the same clock in every thread
   return tonumber(now_ts.tv_sec) * 1e6 + tonumber(now_ts.tv_nsec) / 1e3
end

-- Thread state ---------------------------------------------------------------------------------------------------
local requests_list = {}
local count = 0
local cursor = 0
share = 0          -- this thread's share of the cap (0: none)
completed = 0      -- responses received by this thread
non2xx = 0         -- of which with a status outside 200-299
statuses = {}      -- status code -> count
first_us = 0       -- when this thread sent its first request
last_us = 0        -- when it received its last response
capped = 0         -- 1 when it stopped at its share

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot read the paths file " .. tostring(args[1]))
   for line in file:lines() do
      if line ~= "" then
         count = count + 1
         requests_list[count] = wrk.format("GET", line)
      end
   end
   file:close()
   assert(count > 0, "the paths file " .. args[1] .. " is empty")
   local cap, nthreads = tonumber(args[2]) or 0, tonumber(args[3]) or 1
   if cap > 0 then
      share = math.floor(cap / nthreads)
      if id <= cap % nthreads then share = share + 1 end
   end
   -- Threads start at different places of the list, so that they do not ask the same thing at the same moment.
   cursor = math.floor((id - 1) * count / nthreads)
end

function request()
   if first_us == 0 then first_us = now_us() end
   cursor = cursor % count + 1
   return requests_list[cursor]
end

function response(status, headers, body)
   completed = completed + 1
   if status < 200 or status > 299 then non2xx = non2xx + 1 end
   statuses[status] = (statuses[status] or 0) + 1
   if share > 0 and completed >= share then
      last_us = now_us()
      capped = 1
      wrk.thread:stop()
   end
end

-- Main state -----------------------------------------------------------------------------------------------------
function done(summary, latency, requests)
   local non, counted, by_status = 0, 0, {}
   local first, last, all_capped = nil, 0, #threads > 0
   for _, thread in ipairs(threads) do
      local f, l = thread:get("first_us") or 0, thread:get("last_us") or 0
      if f > 0 and (first == nil or f < first) then first = f end
      if l > last then last = l end
      if (thread:get("capped") or 0) == 0 then all_capped = false end
      non = non + (thread:get("non2xx") or 0)
      counted = counted + (thread:get("completed") or 0)
      for status, n in pairs(thread:get("statuses") or {}) do
         by_status[status] = (by_status[status] or 0) + n
      end
   end
   local codes = {}
   for status, _ in pairs(by_status) do table.insert(codes, status) end
   table.sort(codes)
   local parts = {}
   for _, status in ipairs(codes) do table.insert(parts, status .. ":" .. by_status[status]) end
   local e = summary.errors
   -- Every thread stopped at its cap: the run lasted from the first request to the last response; otherwise the
   -- duration ran out and wrk's figure is the run's.
   local seconds = summary.duration / 1e6
   if all_capped and first ~= nil and last > first then seconds = (last - first) / 1e6 end
   local ms = function(us) return string.format("%.3f", us / 1000) end
   io.write(string.format(
      "LOAD scenario=%s url=%s requests=%d duration_s=%.2f rps=%.1f p50_ms=%s p95_ms=%s p99_ms=%s max_ms=%s "
      .. "non2xx=%d socket_errors=%d timeouts=%d connect_errors=%d read_errors=%d write_errors=%d statuses=%s kb_per_response=%.2f capped=%s\n",
      os.getenv("LOAD_SCENARIO") or "?", os.getenv("LOAD_URL") or "?",
      summary.requests, seconds, summary.requests / seconds,
      ms(latency:percentile(50)), ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max),
      non, e.connect + e.read + e.write, e.timeout, e.connect, e.read, e.write,
      (#parts > 0 and table.concat(parts, ",") or "none"),
      summary.requests > 0 and summary.bytes / summary.requests / 1024 or 0, all_capped and "yes" or "no"))
   if counted ~= summary.requests then
      io.stderr:write(string.format("paths.lua: %d responses seen by the threads, %d counted by wrk\n", counted, summary.requests))
   end
end
