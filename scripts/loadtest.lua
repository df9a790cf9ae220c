-- wrk script for scripts/loadtest.sh: each connection cycles through a mix
-- of /api/search requests over the generated knowledge base — place names
-- and numbers (a few hits), phrases of common words, a word in
-- nearly every entry (facets over ~10,000 hits), filter-only queries, a
-- prefix, a typo, paging — and counts the answers by status.
local paths = {
  "/api/search?q=paris",
  "/api/search?q=texas+agency",
  "/api/search?q=bayern+incident&sort=date",
  "/api/search?q=california+drones&type=agency,incident",
  "/api/search?q=123",
  "/api/search?q=%22police+department%22",
  "/api/search?q=%22drone+fleet%22",
  "/api/search?q=drone",
  "/api/search?q=surveillance&country=FR",
  "/api/search?type=agency&country=FR",
  "/api/search?vendor=vendor-0003",
  "/api/search?type=agency&restricted=true",
  "/api/search?status=in-force&country=US&from=20&size=20",
  "/api/search?q=inspect*",
  "/api/search?q=oversigt~1",
  "/api/search?q=yorkshire&from=10&size=10",
}

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  io.write("-----------------------------------------------\n")
  io.write(string.format("requests  %d in %.1f s: %.0f per second\n", summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency   p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for code, n in pairs(merged) do
    io.write(string.format("status    %d: %d\n", code, n))
  end
  io.write(string.format("errors    connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
