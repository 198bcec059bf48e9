texts = ("plain", 'single', """triple""", r"raw\n", b"bytes", "implicit" "concat")
