word = "lin"
word += "ea"
