-- Sends every path of a file exactly once, over one connection per thread, and writes each
-- request's status and latency (from writing the request to reading the whole response, on
-- the monotonic clock) to a file per thread. A thread stops when its share is answered.
-- Usage: wrk -t N -c N -d LONG -s bench/wrk/once.lua URL -- PATHS_FILE OUT_PREFIX N
-- Each thread writes OUT_PREFIX.<thread>.part while it runs and renames it to
-- OUT_PREFIX.<thread> when done: lines "path-number status microseconds", then
-- "span first-start-us last-end-us".

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } casebook_timespec;
int clock_gettime(int clock, casebook_timespec *now);
]]
local clock = ffi.new("casebook_timespec")
local CLOCK_MONOTONIC = 1

local function micros()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

function init(args)
  local threads = tonumber(args[3])
  paths, numbers = {}, {}
  local line_number = 0
  for line in io.lines(args[1]) do
    if #line > 0 then
      line_number = line_number + 1
      if line_number % threads == thread_number - 1 then
        paths[#paths + 1] = line
        numbers[#numbers + 1] = line_number
      end
    end
  end
  final_name = args[2] .. "." .. thread_number
  out = io.open(final_name .. ".part", "w")
  sent, received = 0, 0
  -- wrk asks the first thread for one request before it connects, to check the script.
  checked = thread_number ~= 1
end

function request()
  if not checked then
    checked = true
    return wrk.format("GET", paths[1])
  end
  sent = sent + 1
  if sent > #paths then
    -- A request lost to a timeout leaves the share short: stop rather than repeat.
    wrk.thread:stop()
    return wrk.format("GET", paths[#paths])
  end
  started = micros()
  first_start = first_start or started
  return wrk.format("GET", paths[sent])
end

function response(status, headers, body)
  local now = micros()
  received = received + 1
  out:write(string.format("%d %d %.0f\n", numbers[sent], status, now - started))
  if sent >= #paths then
    out:write(string.format("span %.0f %.0f\n", first_start, now))
    out:close()
    os.rename(final_name .. ".part", final_name)
    wrk.thread:stop()
  end
end
