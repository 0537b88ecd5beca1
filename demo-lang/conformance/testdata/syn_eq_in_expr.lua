local a = 1
if a = 1 then end
