-- Lua 5.1 has no empty statement: a lone ';' is a syntax error
local a = 1;
;
