for i = 1, 2, nil do end
