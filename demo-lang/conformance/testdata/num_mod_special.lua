local inf = math.huge
print(inf % 2, 5 % inf, -5 % inf, 5 % -inf, 0 % 5)
print(5.25 % 1, -5.25 % 1, 1e308 % 3, 3 % 1e308)
