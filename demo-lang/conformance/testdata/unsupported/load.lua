local f = load(function() return nil end)
