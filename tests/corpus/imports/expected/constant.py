import helpers
constant = helpers.CONSTANT * 2
