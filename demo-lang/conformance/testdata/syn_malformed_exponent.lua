local x = 3e
