# LineaPy's documented "unvisited conditional" known issue (its slice crashed on the other branch),
# plus a conditional re-binding that needs the earlier value when the branch is not taken.
import linea_core as lineapy

lst = []
var = 10
if var > 5:
    lst.append(10)
    var += 10
else:
    lst.append(20)
    var += 20
mode = "default"
if var > 18:
    mode = "large"

lineapy.save(var, "variable")
lineapy.save(lst, "lst")
lineapy.save(mode, "mode")
