local vals = {false, 0, "", "0", 1}
for i = 1, 5 do
  if vals[i] then print(i, "truthy") else print(i, "falsy") end
end
if nil then print("nil truthy") else print("nil falsy") end
print(not nil, not false, not 0, not "", not not nil)
