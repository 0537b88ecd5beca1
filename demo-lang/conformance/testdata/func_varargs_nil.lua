local function count(...) return select("#", ...) end
print(count(nil), count(nil, nil), count(1, nil, nil))
local function show(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = tostring((select(i, ...))) end
  return table.concat(out, ",")
end
print(show(1, nil, 3), show(nil), show())
local function fwd(...) return show(...) end
print(fwd(nil, false, nil))
