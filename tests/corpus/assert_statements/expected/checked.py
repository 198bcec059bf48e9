stack = [1, 2, 3]
assert stack.pop() == 3
checked = sum(stack)
