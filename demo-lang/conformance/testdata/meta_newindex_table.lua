local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a)
rawset(proxy, "b", 2)
print(proxy.b, store.b)
proxy.b = 3
print(proxy.b, store.b)
