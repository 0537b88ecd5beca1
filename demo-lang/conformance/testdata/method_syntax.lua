local obj = {name = "obj", n = 0}
function obj:hello(greeting) return greeting .. ", " .. self.name end
function obj.plain(x) return x end
function obj:inc() self.n = self.n + 1 return self end
print(obj:hello("hi"), obj.hello(obj, "hey"), obj.plain(3))
obj:inc():inc():inc()
print(obj.n)
local s = "abc"
print(s:upper(), ("x"):rep(3), s:len(), ("%d-%d"):format(1, 2))
local t = {f = {g = function(self, a) return self.v + a end, v = 10}}
print(t.f:g(5))
