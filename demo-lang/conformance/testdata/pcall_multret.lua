print(select("#", pcall(function() return nil, nil end)))
print(pcall(function(...) return ... end, 1, nil, 3))
print(select("#", pcall(error)))
local function many() return 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 end
print(select("#", pcall(many)), (select(11, pcall(many))))
