# Augmented assignment on immutable values (rebinding) and mutable ones (in place).
import linea_core as lineapy
import types

count = 0
count += 5
count -= 1
count *= 3
word = "lin"
word += "ea"
nums = [1, 2]
alias = nums
alias += [3]
settings = {"debug": False}
settings |= {"level": 2}
settings["level"] += 1
flags = 0b0001
flags |= 0b0100
flags <<= 1
ratio = 7
ratio /= 2
ratio **= 2
box = types.SimpleNamespace(size=1)
box.size += 10
print(count, word, nums, settings, flags, ratio, box)

lineapy.save(count, "count")
lineapy.save(word, "word")
lineapy.save(nums, "nums")
lineapy.save(settings, "settings")
lineapy.save(flags, "flags")
lineapy.save(ratio, "ratio")
lineapy.save(box, "box")
