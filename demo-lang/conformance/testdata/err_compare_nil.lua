local x
if x > 0 then print(1) end
