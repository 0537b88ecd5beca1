print("this is never printed")
local x = = 2
