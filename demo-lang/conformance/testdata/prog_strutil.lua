local function split(s, sep)
  local out = {}
  for piece in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
local parts = split("a,b,,c", ",")
print(#parts, table.concat(parts, "|"))
print("[" .. trim("   padded  ") .. "]")
local function capitalize(s) return (s:gsub("(%a)(%w*)", function(a, b) return a:upper() .. b end)) end
print(capitalize("hello big world"))
print(("CamelCaseString"):gsub("(%u)", function(c) return "_" .. c:lower() end))
