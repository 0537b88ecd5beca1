local function iter(t)
  local i = 0
  return function()
    i = i + 1
    if t[i] then return i, t[i] end
  end
end
for i, v in iter({"x", "y"}) do print(i, v) end
local function chars(s)
  local pos = 0
  return function()
    pos = pos + 1
    if pos <= #s then return s:sub(pos, pos) end
  end
end
for c in chars("abc") do io.write(c, ".") end print()
