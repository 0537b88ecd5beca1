local function va(...) return {..., "end"} end
local t = va(1, 2, 3)
print(#t, t[1], t[2])
local function va2(...) return {"start", ...} end
t = va2(1, 2, 3)
print(#t, t[4])
local function va3(...) local a, b = ..., "last" return a, b end
print(va3(1, 2, 3))
print(select("#", va3()))
local function count(...) return select("#", ...) end
print(count(va2()), count(unpack(va2(nil, nil))))
