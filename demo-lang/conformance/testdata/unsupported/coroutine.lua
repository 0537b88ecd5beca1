print("start")
local co = coroutine.create(function() end)
print("unreachable")
