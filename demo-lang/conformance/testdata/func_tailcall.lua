local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
print(loop(300000, 0))
local function a(n) if n == 0 then return "done" end return (a(n - 1)) end
print(a(100))
