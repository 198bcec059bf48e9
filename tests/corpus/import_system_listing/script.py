# Importing a module lists the folders on sys.path (the script's own folder too); those
# listings are the import system's, not reads of the files a savefig wrote there.
import linea_core as lineapy
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.plot([1, 2, 3])
plt.savefig("figure.png")
import listing_helper

doubled = listing_helper.double([1, 2])
lineapy.save(doubled, "doubled")
