import xml.etree.ElementTree as ET
root = ET.fromstring("<r><c>1</c><c>2</c></r>")
children = [c.text for c in root]
