print(xpcall(function() error("first") end, function(m) error("in handler") end))
print(xpcall(function() return 1 end, function(m) error("unused") end))
print(pcall(xpcall, function() error("x") end))
