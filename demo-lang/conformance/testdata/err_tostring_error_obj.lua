local mt = {__tostring = function() return "E!" end}
local ok, e = pcall(error, setmetatable({}, mt))
print(ok, tostring(e))
