local Stack = {}
Stack.__index = Stack
function Stack.new() return setmetatable({items = {}, size = 0}, Stack) end
function Stack:push(...)
  for i = 1, select("#", ...) do
    self.size = self.size + 1
    self.items[self.size] = (select(i, ...))
  end
  return self
end
function Stack:pop()
  if self.size == 0 then return nil, "empty" end
  local v = self.items[self.size]
  self.items[self.size] = nil
  self.size = self.size - 1
  return v
end
Stack.__len = function(s) return s.size end
Stack.__tostring = function(s) return "Stack(" .. table.concat(s.items, ",") .. ")" end
local s = Stack.new():push(1, 2, 3)
print(tostring(s), s.size)
print(s:pop(), s:pop(), s:pop(), s:pop())
