# Importing a module lists the folders on sys.path (the script's own folder too); those
# listings are the import system's, not reads of the files written there before (a
# savefig, here a plain file: PNG bytes differ between runs under load).
import linea_core as lineapy

with open("figure.txt", "w") as out:
    out.write("a figure\n")
import listing_helper

doubled = listing_helper.double([1, 2])
lineapy.save(doubled, "doubled")
