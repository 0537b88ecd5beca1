-- loops, break, nested control flow, for edge cases
for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 0.1, 0.35, 0.1 do io.write(i, " ") end print()
for i = 10, 1, -3 do io.write(i, " ") end print()
for i = 1, 3 do local i = i * 2 io.write(i, " ") end print()
local n = 0
for i = 1, 10 do
  for j = 1, 10 do
    if j > i then break end
    n = n + 1
  end
end
print(n)
local i = 0
while true do
  i = i + 1
  if i % 2 == 0 then
    if i > 6 then break end
  end
end
print(i)
local r = 0
repeat r = r + 1 until r >= 5
print(r)
repeat local done = true until done
local t = {10, 20, 30, nil, 50}
local c = 0
for k, v in pairs({a = 1, b = 2, c = 3}) do c = c + v end
print(c)
for k, v in ipairs(t) do io.write(k, "=", v, " ") end print()
local function iter(s, x) if x < s then return x + 1, x * x end end
for a, b in iter, 3, 0 do io.write(a, ":", b, " ") end print()
for a in iter, 2, 0 do io.write(a, " ") end print()
local x = 5
if x > 3 then print("big") elseif x > 1 then print("mid") else print("small") end
if x > 10 then print("huge") elseif x > 4 then print("mid") end
if x then end
do local x = 1 print(x) end
print(x)
local function classify(v)
  if v == nil then return "nil" elseif v == true then return "true" elseif v == false then return "false" end
  if v == 0 then return "zero" elseif v == "s" then return "s" end
  return "other"
end
print(classify(nil), classify(true), classify(false), classify(0), classify("s"), classify({}))
local w = 0
while w < 100 do w = w + 7 if w > 50 then break end end
print(w)
for k = 1, 3 do
  local f = k
  while f > 0 do f = f - 1 if f == 1 then break end end
  io.write(f, " ")
end
print()
local s = 0
for _ = 1, 5 do for _ = 1, 5 do s = s + 1 end end
print(s)
goto_ = 1
print(goto_)
local q = 0
for i2 = 1, 3 do q = q + i2; if q > 100 then return end end
print(q)
