local memo = {}
local function fib(n)
  if n <= 2 then return 1 end
  if memo[n] then return memo[n] end
  local v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(50), fib(78), fib(90))
local function memoize(f)
  local cache = {}
  return function(x)
    local v = cache[x]
    if v == nil then v = f(x); cache[x] = v end
    return v
  end
end
local calls = 0
local sq = memoize(function(x) calls = calls + 1 return x * x end)
print(sq(4), sq(4), sq(5), calls)
