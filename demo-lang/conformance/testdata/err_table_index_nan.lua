local t = {}
local z = 0
t[z / z] = 1
