dofile("other.lua")
