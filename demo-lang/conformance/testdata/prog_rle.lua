local function rle(s)
  local out = {}
  local i = 1
  while i <= #s do
    local c = s:sub(i, i)
    local j = i
    while s:sub(j + 1, j + 1) == c do j = j + 1 end
    out[#out + 1] = (j - i + 1) .. c
    i = j + 1
  end
  return table.concat(out)
end
local function unrle(s) return (s:gsub("(%d+)(%a)", function(n, c) return c:rep(tonumber(n)) end)) end
local e = rle("aaabccddddde")
print(e, unrle(e), unrle(e) == "aaabccddddde")
