-- wrk script of the load test (bench/loadtest.py): each connection asks for the paths listed,
-- one per line, in the file named by the environment variable LOADTEST_PATHS, in turn, each
-- thread starting at a different place. At the end it prints one line, "LOADTEST_RESULT"
-- followed by a JSON summary that bench/loadtest.py reads.

local paths = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("LOADTEST_PATHS")) do
    if #line > 0 then
      table.insert(paths, line)
    end
  end
  counter = offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  io.write(string.format(
    'LOADTEST_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout
  ))
end
