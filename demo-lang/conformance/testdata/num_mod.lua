for _, a in ipairs({5, -5, 5.5, -5.5, 0}) do
  for _, b in ipairs({3, -3, 2.5, -2.5}) do
    io.write(a, " % ", b, " = ", a % b, "\n")
  end
end
print(1e15 % 7, 2^53 % 3, -0.5 % 1)
