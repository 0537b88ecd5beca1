local x = "outer"
do local x = "inner" print(x) end
print(x)
do end
do do do print("deep") end end end
