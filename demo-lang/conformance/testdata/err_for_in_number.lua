for x in 5 do end
