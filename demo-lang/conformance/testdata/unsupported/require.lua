local m = require("module")
