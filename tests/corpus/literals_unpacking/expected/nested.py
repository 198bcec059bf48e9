nested = {
    "list": [1, [2, [3]]],
    "tuple": (1,),
    "empty": ({}, [], (), set()),
}
