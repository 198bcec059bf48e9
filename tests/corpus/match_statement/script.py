# match (3.10+): sequence, literal, capture, guard, mapping and wildcard patterns.
import linea_core as lineapy

commands = ["go north", "look", "take lamp", "go east", "take lamp", "dance", "quit", "look"]
moves = []
inventory = []
looks = 0
unknown = []
for command in commands:
    match command.split():
        case ["quit"]:
            break
        case ["go", direction]:
            moves.append(direction)
        case ["look"]:
            looks += 1
        case ["take", item] if item not in inventory:
            inventory.append(item)
        case _:
            unknown.append(command)
point = (3, 0)
match point:
    case (0, 0):
        where = "origin"
    case (x, 0):
        where = f"x-axis at {x}"
    case _:
        where = "elsewhere"
config = {"mode": "fast", "level": 3}
match config:
    case {"mode": "fast", **rest}:
        speed = rest["level"] * 10
    case {"mode": mode}:
        speed = 1
print(moves, looks, inventory, unknown, where, speed)

lineapy.save(moves, "moves")
lineapy.save(unknown, "unknown")
lineapy.save(where, "where")
lineapy.save(speed, "speed")
