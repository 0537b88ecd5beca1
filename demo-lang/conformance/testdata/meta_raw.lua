local t = setmetatable({}, {
  __index = function() return "meta" end,
  __newindex = function() error("blocked") end,
})
print(t.x, rawget(t, "x"))
rawset(t, "x", 1)
print(t.x, rawget(t, "x"))
print(rawequal(t, t), rawequal(t, {}), rawequal(1, 1), rawequal("a", "a"))
print(rawset(t, "y", 2) == t, rawget(t, "y"))
