local function f(...)
  local a, b = ...
  return select("#", ...), a, b
end
print(f())
print(f(1))
print(f(1, 2, 3))
local function g(...) return select(2, ...) end
print(g("a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select("#"))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print(sum(1, 2, 3, 4))
local function pack(...) return {...} end
print(#pack(1, 2, 3))
local function first(x, ...) return x, select("#", ...) end
print(first(9, 8, 7))
