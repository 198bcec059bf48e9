commands = ["go north", "look", "take lamp", "go east", "take lamp", "dance", "quit", "look"]
moves = []
for command in commands:
    match command.split():
        case ["quit"]:
            break
        case ["go", direction]:
            moves.append(direction)
