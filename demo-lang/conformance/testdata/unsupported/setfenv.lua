local function f() return x end
setfenv(f, {x = 1})
print(f())
