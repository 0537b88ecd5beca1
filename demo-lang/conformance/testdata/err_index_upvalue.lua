local cfg
local function get() return cfg.key end
get()
