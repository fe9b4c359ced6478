-- Every request asks a different day range, so none is answered from the
-- cache: measures the full query path (store, derivation, rendering).
counter = 0
request = function()
  counter = counter + 1
  local day = counter % 1500
  local y = 2022 + math.floor(day / 365)
  local d = day % 365
  local m = math.floor(d / 31) % 12 + 1
  local dd = d % 28 + 1
  local path = string.format("/api/v1/series/personnel?from=%04d-%02d-%02d&rolling=%d", y, m, dd, counter % 7 + 1)
  return wrk.format("GET", path)
end
