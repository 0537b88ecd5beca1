local t = {5, 2, 8, 1, 9, 3}
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local people = {{name = "Ann", age = 30}, {name = "Bob", age = 25}, {name = "Cid", age = 35}}
table.sort(people, function(a, b) return a.age < b.age end)
for _, p in ipairs(people) do io.write(p.name, " ") end print()
table.sort(people, function(a, b) return a.name > b.name end)
for _, p in ipairs(people) do io.write(p.name, " ") end print()
local words = {"bb", "a", "ccc", "dddd"}
table.sort(words, function(a, b) return #a > #b end)
print(table.concat(words, ","))
print(pcall(table.sort, {3, "x", 1}))
