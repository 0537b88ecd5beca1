local inf = 1 / 0
print(inf, -inf, math.huge, -math.huge, inf == math.huge)
print(inf > 1e308, -inf < -1e308, inf + 1, inf - 1e308, 1 / inf, -1 / inf)
print(math.floor(inf), math.ceil(-inf), math.abs(-inf))
print(string.format("%f %e %g", inf, -inf, inf))
