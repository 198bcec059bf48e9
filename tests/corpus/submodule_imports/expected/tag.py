import xml.dom.minidom
import xml
doc = xml.dom.minidom.parseString("<root/>")
