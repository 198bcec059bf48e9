# Importing a submodule gives its package an attribute: a later `import xml` binds that same
# package, so code reaching `xml.dom.minidom` through it needs the submodule import too.
import linea_core as lineapy
import xml.dom.minidom
import xml

doc = xml.dom.minidom.parseString("<root/>")
lineapy.save(doc.documentElement.tagName, "tag")
