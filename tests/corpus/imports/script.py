# Imports: plain, alias, submodules, from-import (with alias), a local module and a local package.
import linea_core as lineapy
import os.path
import json as js
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from math import pi as PI, sqrt
from os import path as osp
import helpers
from helpers import normalize, Scaler
from pkg_local.tools import shout

joined = os.path.join("a", "b")
encoded = js.dumps({"k": [1, 2]})
root = ET.fromstring("<r><c>1</c><c>2</c></r>")
children = [c.text for c in root]
counts = Counter("mississippi")
groups = defaultdict(list)
for word in ["ant", "bee", "ape"]:
    groups[word[0]].append(word)
area = PI * sqrt(16)
ext = osp.splitext("report.csv")[1]
norm = normalize([1, 2, 3])
scaled = Scaler(10).apply([1, 2])
loud = shout("hi")
constant = helpers.CONSTANT * 2

lineapy.save(joined, "joined")
lineapy.save(encoded, "encoded")
lineapy.save(children, "children")
lineapy.save(counts, "counts")
lineapy.save(groups, "groups")
lineapy.save(area, "area")
lineapy.save(ext, "ext")
lineapy.save(norm, "norm")
lineapy.save(scaled, "scaled")
lineapy.save(loud, "loud")
lineapy.save(constant, "constant")
