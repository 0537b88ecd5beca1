local function three() return 1, 2, 3 end
print(three())
print(three(), 10)
print((three()))
local t = {three()}
print(#t)
t = {three(), three()}
print(#t)
t = {three(), "x"}
print(#t)
local function pass(...) return ... end
print(pass(three()))
print(select("#", three(), three()))
local a, b, c, d = three()
print(a, b, c, d)
print(string.format("%d %d %d", three()))
