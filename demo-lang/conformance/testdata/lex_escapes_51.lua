-- Escapes that later Lua versions added are plain characters in 5.1
print("\x41", "\z", "\u{48}", #"\u{48}", "\g\h")
print("\0651", "\1000", #"\0001")
