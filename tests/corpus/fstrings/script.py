# f-strings: conversions, nested format specs, expressions, nested f-strings, `=` debugging, implicit concatenation.
import linea_core as lineapy

name = "linea"
count = 7
ratio = 0.4567
items = ["a", "b", "c"]
width = 12
debug_value = 42
title = f"{name!r:>{width}}|{count:03d}|{ratio:.1%}"
listing = f"items: {', '.join(items)} ({len(items)} total)"
nested = f"{f'{count * 2}'!s:*^8}"
debug = f"{debug_value=}"
multi = (
    f"{name.upper()}-"
    f"{count + 1}"
)
print(title, listing, nested, debug, multi)

lineapy.save(title, "title")
lineapy.save(listing, "listing")
lineapy.save(nested, "nested")
lineapy.save(debug, "debug")
lineapy.save(multi, "multi")
