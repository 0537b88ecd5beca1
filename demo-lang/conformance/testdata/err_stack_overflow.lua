local function f(n) return 1 + f(n + 1) end
local ok, e = pcall(f, 1)
print(ok, (string.find(e, "stack overflow", 1, true)) ~= nil)
