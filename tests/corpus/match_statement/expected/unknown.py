commands = ["go north", "look", "take lamp", "go east", "take lamp", "dance", "quit", "look"]
inventory = []
unknown = []
for command in commands:
    match command.split():
        case ["quit"]:
            break
        case ["go", direction]:
            pass
        case ["look"]:
            pass
        case ["take", item] if item not in inventory:
            inventory.append(item)
        case _:
            unknown.append(command)
