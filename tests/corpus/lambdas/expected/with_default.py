offset = 10
defaults = lambda a, b=offset: a + b
with_default = defaults(1)
