local function mk(v) return {v = v, get = function(self) return self.v end, nxt = function(self) return mk(self.v + 1) end} end
print(mk(1):nxt():nxt():get(), mk(5):get())
local function id(...) return ... end
print(id(id(1, 2), id(3, 4)))
print((id(1, 2)))
print(#{id(1, 2, 3), id(4, 5, 6)})
print(pcall(function() return (5):type() end))
local t = {f = function() return {g = function() return "chained" end} end}
print(t.f().g(), t["f"]()["g"]())
