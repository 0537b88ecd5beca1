local function queue()
  local first, last, items = 1, 0, {}
  return {
    push = function(v) last = last + 1; items[last] = v end,
    pop = function()
      if first > last then return nil end
      local v = items[first]; items[first] = nil; first = first + 1
      return v
    end,
    size = function() return last - first + 1 end,
  }
end
local q = queue()
for i = 1, 5 do q.push(i * i) end
print(q.pop(), q.pop(), q.size())
q.push("x")
local rest = {}
while q.size() > 0 do rest[#rest + 1] = q.pop() end
print(table.concat(rest, " "), q.pop())
