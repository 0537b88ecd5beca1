local a = 1; local b = 2; print(a + b);
local c = 3 print(c);
do local d = 4; print(d) end;
if a then print("if") end; while false do end; repeat until true;
