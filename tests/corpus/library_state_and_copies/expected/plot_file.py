import matplotlib.pyplot as plt
xs = [1, 2, 3]
plt.plot(xs, [v * 2 for v in xs])
plt.title("doubled")
plt.savefig("doubled.png")
