print(type(os.clock()), type(os.time()))
print(os.clock() >= 0, os.time() > 1000000000)
local t0 = os.clock()
local s = 0
for i = 1, 100000 do s = s + i end
print(os.clock() >= t0, s)
print(math.floor(os.time()) == os.time())
