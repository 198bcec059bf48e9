import json as js
encoded = js.dumps({"k": [1, 2]})
