local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound)
  local self = setmetatable({}, Animal)
  self.name, self.sound = name, sound
  return self
end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name)
  local self = Animal.new(name, "woof")
  return setmetatable(self, Dog)
end
function Dog:kind() return "dog, an " .. Animal.kind(self) end
local d = Dog.new("rex")
print(d:speak(), d:kind(), getmetatable(d) == Dog)
local a = Animal.new("cat", "meow")
print(a:speak(), a:kind(), rawget(Dog, "speak"))
