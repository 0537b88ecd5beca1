local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
for _, n in ipairs({-5, 0, 3, 42}) do print(n, classify(n)) end
if false then print("no") end
if nil then print("no") else print("else") end
