x = 10
print(_G.x, _G["x"])
_G.y = 20
print(y)
print(_G._G == _G, _G.print == print, type(_G))
local name = "dyn"
_G[name] = "dynamic"
print(dyn)
local count = 0
for k, v in pairs(_G) do if k == "x" or k == "y" or k == "dyn" then count = count + 1 end end
print(count)
