name = "linea"
count = 7
multi = (
    f"{name.upper()}-"
    f"{count + 1}"
)
