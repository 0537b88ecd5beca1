print(xpcall(function() local a = nil; return a.b end, function(m) return "H:" .. m end))
print(xpcall(function() error("lvl0", 0) end, function(m) return "H:" .. m end))
