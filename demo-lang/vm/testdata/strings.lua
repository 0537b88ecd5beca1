local s = "Hello, World"
print(s:len(), s:upper(), s:lower(), s:reverse())
print(s:sub(1, 5), s:sub(-5), s:sub(3), s:sub(0), s:sub(8, 100), s:sub(5, 2))
print(s:byte(1), s:byte(-1), s:byte(1, 3))
print(string.char(72, 105), ("ab"):rep(3), ("ab"):rep(0))
print(s:find("World"), s:find("o"), s:find("o", 6), s:find("xyz"), s:find("l+"))
print(s:find(".", 1, true), s:find("o, W", 1, true))
print(s:match("(%a+), (%a+)"), s:match("%d"), ("key=val"):match("(%w+)=(%w+)"))
print(("  trim  "):match("^%s*(.-)%s*$") .. "|")
for w in s:gmatch("%a+") do io.write(w, ";") end
print()
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, v, " ") end
print()
print(s:gsub("o", "0"), s:gsub("l", "L", 2), s:gsub("%a+", "<%0>"))
print(("hello world"):gsub("(%w+)", "%1 %1"))
print(("abc"):gsub("", "-"))
print(("hello"):gsub("l", {l = "L"}), ("hello"):gsub(".", function(c) return c:upper() end))
print(("x = 1 + 2"):gsub("%d", function(d) return d * 10 end))
print(string.format("%3d|%-3d|%03d|%+d|%.3s|%c|%o|%X|%e|%.0f|%5.1f", 5, 5, 5, 5, "abcdef", 65, 8, 255, 12345.678, 2.5, 3.14159))
print(string.format("%q", 'he said "hi"\n\0'))
print(string.format("%10.4f|%-10s|%%", math.pi, "left"))
print(("test123abc"):find("%d+"), ("[brackets]"):match("%[(.*)%]"))
print(("f(a,b)"):match("%((.-)%)"), ("THE (quick) fox"):find("%((%a+)%)"))
print(("abc"):find("b", -10), ("aaa"):match("a-b"), ("aaab"):match("a-b"))
print(tostring(1e15), tostring(-1e15), tostring(123.456), 1e15 + 0.5)
print(#"\n\t\\\"", "\65\066\067" == "ABC", "a\
b")
print([[long
string]], [==[with ]] inside]==])
print(("%5s"):format("ab"), ("x"):byte(), string.len(""))
local parts = {}
for i = 1, 10 do parts[#parts + 1] = tostring(i) end
print(table.concat(parts, ", "))
print(("CamelCaseString"):gsub("%u", function(c) return "_" .. c:lower() end))
print(("one two  three"):find("%s%s"), ("x"):rep(3, ","))
