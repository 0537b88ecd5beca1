local function f(x) return type(x) == "table" and ("table:" .. #x) or ("arg:" .. tostring(x)) end
print(f"literal", f'single', f[[long]], f{1, 2, 3}, f{})
local obj = {name = "o"}
function obj:say(x) return self.name .. ":" .. (type(x) == "table" and "t" or x) end
print(obj:say"hi", obj:say{1}, obj:say[[long]])
print(("%d"):format(7), #{n = 1})
local s = string.format"no args"
print(s, select("#", print"inside call"))
