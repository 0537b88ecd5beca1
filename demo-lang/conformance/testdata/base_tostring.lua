print(tostring(nil), tostring(true), tostring(false), tostring(123), tostring(1.25), tostring("s"))
print(tostring({}):match("^table: ") ~= nil, tostring(print):match("^function") ~= nil)
print(type(tostring(1)), tostring(-0.0 + 0), tostring(1e300 * 1e10))
