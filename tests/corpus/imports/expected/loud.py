from pkg_local.tools import shout
loud = shout("hi")
