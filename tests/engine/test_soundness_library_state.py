"""Library state no program name holds: generators, the current figure, settings.

Each script changes state that lives inside a library (numpy's and ``random``'s
hidden generators, pyplot's current figure, ``decimal``'s context, the recursion
limit, a local module's attributes), directly, through a helper function, or on a
statement whose arguments are expressions; the slice of a value computed later must
keep that change, and run alone must recompute the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from soundness_kit import assert_sound

pytestmark = pytest.mark.engine


@pytest.mark.parametrize(
    "seeding",
    [
        "np.random.seed(3)",  # the first statement touching np.random (imported lazily)
        "def setup():\n    np.random.seed(3)\nsetup()",
        "seed = np.random.seed\nseed(3)",
    ],
)
def test_seeding_numpy_is_kept(tmp_path: Path, seeding: str) -> None:
    codes = assert_sound(
        tmp_path,
        "import linea_core as lineapy\nimport numpy as np\n"
        + seeding
        + "\nx = np.random.rand(3)\nlineapy.save(x, 'x')\n",
    )
    assert "seed" in codes["x"]


def test_every_draw_advances_the_generator(tmp_path: Path) -> None:
    """Draws with tuple and list shapes, by keyword or not, each count."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import numpy as np
        first = np.random.rand(2)
        np.random.seed(0)
        a = np.random.random((2, 2))
        c = np.random.normal(0, 1, size=(3, 4))
        d = np.random.randint(0, 10, size=[2, 2])
        b = np.random.rand(2)
        unrelated = np.zeros(3)
        lineapy.save(b, "b")
        lineapy.save(c, "c")
        """,
    )
    assert "np.random.normal(0, 1, size=(3, 4))" in codes["b"]
    assert "np.zeros" not in codes["b"]


def test_draws_by_library_code_no_pack_describes_advance_the_generator(
    tmp_path: Path,
) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import numpy as np
        import pandas as pd
        np.random.seed(1)
        df = pd.DataFrame({"a": range(10)})
        picked = df.sample(3)
        after = np.random.rand(2)
        lineapy.save(after, "after")
        """,
    )


def test_pythons_random_module(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import random
        def reseed():
            random.seed(4)
        reseed()
        a = random.random()
        deck = list(range(10))
        random.shuffle(deck)
        b = random.randint(0, 100)
        lineapy.save(b, "b")
        lineapy.save(deck, "deck")
        """,
    )


def test_plotting_calls_are_kept_for_the_saved_figure(tmp_path: Path) -> None:
    """``plt.plot(xs, [4, 5, 6])`` has an expression argument; a helper draws too."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import matplotlib.pyplot as plt
        xs = [1, 2, 3]
        def decorate():
            plt.title("t")
        plt.plot(xs, [4, 5, 6])
        decorate()
        plt.savefig("out.png")
        size = len(open("out.png", "rb").read())
        lineapy.save(size, "size")
        """,
    )
    assert "plt.plot(xs, [4, 5, 6])" in codes["size"]
    assert "decorate()" in codes["size"]


def test_decimal_context_and_recursion_limit_are_kept(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import decimal
        import sys
        from decimal import Decimal
        decimal.getcontext().prec = 5
        v = str(Decimal(1) / Decimal(7))
        sys.setrecursionlimit(4321)
        lim = sys.getrecursionlimit()
        lineapy.save(v, "v")
        lineapy.save(lim, "lim")
        """,
    )


def test_attributes_of_a_local_module_changed_in_place(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import helper
        k = 5
        helper.data.append(2)
        helper.data.extend([k, k + 1])
        helper.count = 10
        total = sum(helper.data) + helper.count
        lineapy.save(total, "total")
        """,
        files={"helper.py": "data = [1]\ncount = 0\n"},
    )


def test_an_object_imported_from_a_local_module_is_part_of_the_module(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import helper
        from helper import data
        data.append(2)
        total = sum(helper.data)
        lineapy.save(total, "total")
        """,
        files={"helper.py": "data = [1]\n"},
    )


def test_pandas_options(tmp_path: Path) -> None:
    """Set after the frame was made: only the ambient rule keeps it in the slice."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import pandas as pd
        df = pd.DataFrame({"a": [1.23456]})
        pd.set_option("display.precision", 2)
        text = df.to_string()
        lineapy.save(text, "text")
        """,
    )
    assert "set_option" in codes["text"]


def test_matplotlib_settings_are_kept_where_figures_use_them(tmp_path: Path) -> None:
    """``rcParams`` changed by assignment, ``matplotlib.rc``, a helper and a style are
    read by the statements that draw or save; values that use no figure do not keep
    them, and the backend choice is no dependence of what is drawn."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        plt.rcParams["lines.linewidth"] = 5
        matplotlib.rc("figure", figsize=(2, 2))
        def styled():
            plt.rcParams["axes.titlesize"] = 30
        styled()
        numbers = [1, 2, 3]
        fig, ax = plt.subplots()
        line, = ax.plot(numbers)
        width = line.get_linewidth()
        size = tuple(fig.get_size_inches())
        title = ax.set_title("t").get_fontsize()
        matplotlib.rcParams.update({"savefig.dpi": 20})
        fig.savefig("out.png")
        png = len(open("out.png", "rb").read())
        total = sum(numbers)
        lineapy.save(width, "width")
        lineapy.save(size, "size")
        lineapy.save(title, "title")
        lineapy.save(png, "png")
        lineapy.save(total, "total")
        """,
    )
    assert 'matplotlib.rc("figure", figsize=(2, 2))' in codes["size"]
    assert "styled()" in codes["title"]
    assert "savefig.dpi" in codes["png"]
    assert "rc" not in codes["total"] and "matplotlib" not in codes["total"]
    assert "matplotlib.use" not in codes["width"]


def test_a_plot_by_another_library_reads_matplotlib_settings(tmp_path: Path) -> None:
    """pandas draws on pyplot's figure: drawing reads the settings, the style too."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import matplotlib.pyplot as plt
        import pandas as pd
        plt.style.use("ggplot")
        df = pd.DataFrame({"a": [1, 3, 2]})
        df.plot()
        colour = plt.gca().get_facecolor()
        lineapy.save(colour, "colour")
        lineapy.save(df, "df")
        """,
    )
    assert 'plt.style.use("ggplot")' in codes["colour"]
    assert "style" not in codes["df"]


def test_matplotlib_settings_set_without_a_call_reach_figures_made_without_pyplot(
    tmp_path: Path,
) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import matplotlib as mpl
        from matplotlib.figure import Figure
        mpl.rcParams["lines.linewidth"] = 7
        fig = Figure()
        ax = fig.add_subplot()
        line, = ax.plot([1, 2])
        width = line.get_linewidth()
        lineapy.save(width, "width")
        """,
    )
    assert 'mpl.rcParams["lines.linewidth"] = 7' in codes["width"]
