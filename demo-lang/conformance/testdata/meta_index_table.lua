local base = {greet = "hello", n = 1}
local derived = setmetatable({n = 2}, {__index = base})
print(derived.greet, derived.n, derived.missing, rawget(derived, "greet"))
local third = setmetatable({}, {__index = derived})
print(third.greet, third.n)
base.greet = "changed"
print(third.greet)
