local function handler(msg) return "handled: " .. tostring(msg) end
print(xpcall(function() return "fine", 2 end, handler))
print(xpcall(function() error("bad") end, handler))
print(xpcall(function() error("bad", 0) end, handler))
print(xpcall(function() local x = nil; return x.y end, function(m) return (m:gsub("^.-:%d+: ", "")) end))
print(xpcall(function() error({1, 2}) end, function(e) return type(e), #e end))
