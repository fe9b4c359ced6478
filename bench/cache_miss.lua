-- Every request asks a different range (from × to: 1,400 × 365 pairs, more
-- than a 10 s run sends), so none is answered from the answer cache: this
-- measures the full query path (store, derivation, rendering).
counter = 0
local base = os.time({year = 2022, month = 3, day = 1, hour = 12})
request = function()
  counter = counter + 1
  local from = counter % 1400
  local span = 30 + math.floor(counter / 1400) % 365
  local f = os.date("!%Y-%m-%d", base + from * 86400)
  local t = os.date("!%Y-%m-%d", base + (from + span) * 86400)
  return wrk.format("GET", "/api/v1/series/personnel?from=" .. f .. "&to=" .. t)
end
