"""effects_for on real runtime callables, with the core packs."""

from __future__ import annotations

import collections
import io
import json
import random
import sqlite3

import pytest

from linea_core.annotations.effects import (
    RESULT_REF,
    SELF_REF,
    CallEffects,
    Ref,
    resolve,
)
from linea_core.annotations.index import AnnotationIndex

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

pytestmark = pytest.mark.engine

ARG0 = Ref("positional", position=0)


def effects(index: AnnotationIndex, func: object, *args: object, **kwargs: object) -> CallEffects:
    found = index.effects_for(func, args, kwargs)
    assert found is not None, f"{func!r} should be described"
    return found


def objects(found: CallEffects, refs, args=(), kwargs=None, result=None) -> list[object]:
    return [obj for ref in refs for obj in found.resolve(ref, tuple(args), kwargs or {}, result)]


# -- built-ins ----------------------------------------------------------------------------


def test_list_append_bound_mutates_the_list(core_index: AnnotationIndex) -> None:
    items: list[int] = []
    found = effects(core_index, items.append, 1)
    assert found.mutated == (SELF_REF,)
    assert found.receiver is items
    assert objects(found, found.mutated, (1,)) == [items]
    assert not found.external_writes and not found.is_pure


def test_unbound_method_call_takes_the_receiver_from_the_arguments(
    core_index: AnnotationIndex,
) -> None:
    items: list[int] = []
    found = effects(core_index, list.append, items, 1)
    assert found.receiver is items and found.arg_offset == 1
    assert objects(found, found.mutated, (items, 1)) == [items]
    # An argument that is not an instance of the annotated class: not described.
    assert core_index.effects_for(list.append, (("not", "a list"), 1), {}) is None


def test_dict_update_and_pure_dict_methods(core_index: AnnotationIndex) -> None:
    data: dict[str, int] = {}
    assert effects(core_index, data.update, {"a": 1}).mutated == (SELF_REF,)
    assert effects(core_index, data.get, "a").is_pure
    keys = effects(core_index, data.keys)
    assert keys.is_pure and keys.views == ((SELF_REF, RESULT_REF),)


def test_collections_subclasses_use_their_own_annotations(core_index: AnnotationIndex) -> None:
    assert effects(core_index, collections.Counter().update, "abc").mutated == (SELF_REF,)
    assert effects(core_index, collections.OrderedDict().move_to_end, "k").mutated == (SELF_REF,)
    assert effects(core_index, collections.deque().appendleft, 1).mutated == (SELF_REF,)
    # dict.__getitem__ is pure, but a defaultdict inserts missing keys.
    assert effects(core_index, {}.__getitem__, "k").is_pure
    dd = collections.defaultdict(list)
    assert effects(core_index, dd.__getitem__, "k").mutated == (SELF_REF,)


def test_pure_builtin_functions(core_index: AnnotationIndex) -> None:
    for func, args in [(len, ([1],)), (sorted, ([2, 1],)), (isinstance, (1, int)), (str, (1,))]:
        found = effects(core_index, func, *args)
        assert found.is_pure and not found.dependencies and not found.views
    assert effects(core_index, "abc".upper).is_pure
    assert effects(core_index, print, "hello").is_pure


def test_print_to_a_file_object_mutates_it(core_index: AnnotationIndex) -> None:
    buffer = io.StringIO()
    found = effects(core_index, print, "x", file=buffer)
    assert found.mutated == (Ref("keyword", name="file"),)
    assert objects(found, found.mutated, ("x",), {"file": buffer}) == [buffer]


def test_iterator_arguments_are_consumed(core_index: AnnotationIndex) -> None:
    numbers = iter([3, 1, 2])
    found = effects(core_index, sorted, numbers)
    assert found.mutated == (ARG0,)
    assert objects(found, found.mutated, (numbers,)) == [numbers]
    gen = (n for n in range(3))
    assert effects(core_index, sum, gen).mutated == (ARG0,)
    assert effects(core_index, sum, [1, 2]).is_pure
    assert effects(core_index, next, numbers).mutated == (ARG0,)
    items: list[int] = []
    found = effects(core_index, items.extend, iter([1]))
    assert found.mutated == (SELF_REF, ARG0)


def test_files_and_databases(core_index: AnnotationIndex, tmp_path) -> None:
    assert effects(core_index, open, "x.txt").external_reads == {"file_system"}
    dumped = effects(core_index, json.dump, {}, io.StringIO())
    assert dumped.external_writes == {"file_system"}
    assert dumped.mutated == (Ref("positional", position=1),)
    with open(tmp_path / "f.txt", "w") as handle:
        written = effects(core_index, handle.write, "x")
        assert written.mutated == (SELF_REF,) and written.external_writes == {"file_system"}
    assert effects(core_index, io.StringIO().write, "x").external_writes == frozenset()
    connection = sqlite3.connect(":memory:")
    try:
        executed = effects(core_index, connection.execute, "select 1")
        assert executed.external_writes == {"db"} and executed.external_reads == {"db"}
        assert effects(core_index, connection.commit).external_writes == {"db"}
    finally:
        connection.close()
    import os
    import shutil

    assert effects(core_index, os.remove, "x").external_writes == {"file_system"}
    copied = effects(core_index, shutil.copy, "a", "b")
    assert copied.external_writes == {"file_system"} and copied.external_reads == {"file_system"}
    assert effects(core_index, (tmp_path / "p.txt").write_text, "x").external_writes == {
        "file_system"
    }
    assert effects(core_index, tmp_path.joinpath, "a").is_pure


def test_random_module_state(core_index: AnnotationIndex) -> None:
    seeded = effects(core_index, random.seed, 0)
    assert seeded.receiver is random  # the module stands for its hidden generator
    assert seeded.mutated == (SELF_REF,) and seeded.dependencies == (SELF_REF,)
    drawn = effects(core_index, random.random)
    assert drawn.receiver is random and drawn.dependencies == (SELF_REF,)
    items = [1, 2]
    shuffled = effects(core_index, random.shuffle, items)
    assert set(shuffled.mutated) == {SELF_REF, ARG0}
    assert objects(shuffled, shuffled.mutated, (items,)) == [random, items]
    own = random.Random(1)
    found = effects(core_index, own.random)
    assert found.receiver is own and found.mutated == (SELF_REF,)


# -- numpy --------------------------------------------------------------------------------


def test_ndarray_in_place_methods_and_views(core_index: AnnotationIndex) -> None:
    array = np.array([3.0, 1.0, 2.0])
    assert effects(core_index, array.sort).mutated == (SELF_REF,)
    assert effects(core_index, array.fill, 0).mutated == (SELF_REF,)
    assert effects(core_index, array.sum).is_pure
    reshaped = effects(core_index, array.reshape, 3, 1)
    assert reshaped.is_pure and reshaped.views == ((SELF_REF, RESULT_REF),)
    view = array.reshape(3, 1)
    assert objects(reshaped, reshaped.views[0], (3, 1), {}, view) == [array, view]


def test_ufunc_out_keyword_and_positional(core_index: AnnotationIndex) -> None:
    a = np.zeros(3)
    assert effects(core_index, np.add, a, 1).is_pure
    by_keyword = effects(core_index, np.add, a, 1, out=a)
    assert by_keyword.mutated == (Ref("keyword", name="out"),)
    assert objects(by_keyword, by_keyword.mutated, (a, 1), {"out": a}) == [a]
    # out=(a,) is a tuple: it stands for its items.
    assert objects(by_keyword, by_keyword.mutated, (a, 1), {"out": (a,)}) == [a]
    # Passed positionally: np.add(x, y, out) / np.sqrt(x, out) (one plan, two signatures).
    b = np.ones(3)
    positional = effects(core_index, np.add, a, 1, b)
    assert objects(positional, positional.mutated, (a, 1, b)) == [b]
    root = effects(core_index, np.sqrt, a, b)
    assert objects(root, root.mutated, (a, b)) == [b]
    assert effects(core_index, np.sqrt, a).is_pure
    quotient, remainder = np.zeros(3), np.zeros(3)
    two_outputs = effects(core_index, np.divmod, a, 2, quotient, remainder)
    resolved = objects(two_outputs, two_outputs.mutated, (a, 2, quotient, remainder))
    assert resolved == [quotient, remainder]
    at = effects(core_index, np.add.at, a, [0], 1)
    assert at.mutated == (ARG0,) and objects(at, at.mutated, (a, [0], 1)) == [a]


def test_numpy_functions(core_index: AnnotationIndex) -> None:
    a = np.arange(4.0)
    assert effects(core_index, np.sum, a).is_pure
    total = np.zeros(())
    with_out = effects(core_index, np.sum, a, out=total)
    assert objects(with_out, with_out.mutated, (a,), {"out": total}) == [total]
    assert effects(core_index, np.copyto, a, 1.0).mutated == (ARG0,)
    assert effects(core_index, np.save, "x.npy", a).external_writes == {"file_system"}
    assert effects(core_index, np.load, "x.npy").external_reads == {"file_system"}
    assert effects(core_index, np.reshape, a, (2, 2)).views == ((ARG0, RESULT_REF),)


def test_numpy_random_global_state(core_index: AnnotationIndex) -> None:
    import numpy.random

    seeded = effects(core_index, np.random.seed, 0)
    assert seeded.receiver is numpy.random and seeded.mutated == (SELF_REF,)
    a = np.arange(3)
    shuffled = effects(core_index, np.random.shuffle, a)
    assert objects(shuffled, shuffled.mutated, (a,)) == [numpy.random, a]
    generator = np.random.default_rng(0)
    assert effects(core_index, np.random.default_rng, 0).is_pure
    drawn = effects(core_index, generator.normal)
    assert drawn.receiver is generator and drawn.mutated == (SELF_REF,)


# -- pandas -------------------------------------------------------------------------------


@pytest.fixture
def frame():
    return pd.DataFrame({"a": [1.0, None], "b": ["x", "y"]})


def test_dataframe_dropna_inplace_or_not(core_index: AnnotationIndex, frame) -> None:
    assert effects(core_index, frame.dropna, inplace=True).mutated == (SELF_REF,)
    assert effects(core_index, frame.dropna).is_pure
    assert effects(core_index, frame.dropna, inplace=False).is_pure
    assert effects(core_index, frame["a"].fillna, 0, inplace=True).mutated == (SELF_REF,)


def test_to_csv_inherited_from_ndframe(core_index: AnnotationIndex, frame) -> None:
    found = effects(core_index, frame.to_csv, "out.csv")
    assert found.external_writes == {"file_system"} and found.receiver is frame
    assert effects(core_index, frame["a"].to_csv, "s.csv").external_writes == {"file_system"}
    assert effects(core_index, frame.to_sql, "t", "c").external_writes == {"db"}


def test_upstream_ndframe_annotation_matches_dataframe(index_of) -> None:
    index = index_of(
        """
        - module: pandas.core.generic
          annotations:
            - criteria:
                class_instance: NDFrame
                class_method_names: [to_csv, to_json]
              side_effects:
                - mutated_value:
                    external_state: file_system
        """
    )
    frame = pd.DataFrame({"a": [1]})
    for method in (frame.to_csv, frame.to_json, frame["a"].to_csv):
        found = index.effects_for(method, ("x",), {})
        assert found is not None and found.external_writes == {"file_system"}
    assert index.effects_for(frame.head, (), {}) is None


def test_dataframe_mutating_and_pure_methods(core_index: AnnotationIndex, frame) -> None:
    assert effects(core_index, frame.__setitem__, "c", 1).mutated == (SELF_REF,)
    assert effects(core_index, frame.insert, 0, "d", 1).mutated == (SELF_REF,)
    for method in (frame.head, frame.describe, frame.copy, frame.merge, frame.query):
        assert effects(core_index, method).is_pure, method
    grouped = effects(core_index, frame.groupby, "b")
    assert grouped.is_pure and grouped.views == ((SELF_REF, RESULT_REF),)
    # Methods that run user callbacks are left to the run-time check.
    assert core_index.effects_for(frame.apply, (len,), {}) is None


def test_pandas_functions(core_index: AnnotationIndex, frame) -> None:
    assert effects(core_index, pd.concat, [frame]).is_pure
    assert effects(core_index, pd.DataFrame, {}).is_pure
    assert effects(core_index, pd.read_csv, "x.csv").external_reads == {"file_system"}
    assert effects(core_index, pd.read_sql, "q", "c").external_reads == {"db"}


# -- matplotlib ---------------------------------------------------------------------------


def test_pyplot_mutates_only_pyplot(core_index: AnnotationIndex) -> None:
    plotted = effects(core_index, plt.plot, [1, 2])
    assert plotted.receiver is plt
    assert plotted.mutated == (SELF_REF,) and not plotted.external_writes
    saved = effects(core_index, plt.savefig, "fig.png")
    assert saved.external_writes == {"file_system"} and saved.dependencies == (SELF_REF,)
    figure, axes = plt.subplots()
    try:
        subplots = effects(core_index, plt.subplots)
        assert objects(subplots, subplots.views[0], (), {}, (figure, axes)) == [plt, figure, axes]
        assert effects(core_index, axes.plot, [1]).mutated == (SELF_REF,)
        assert effects(core_index, figure.savefig, "f.png").external_writes == {"file_system"}
    finally:
        plt.close(figure)


# -- not described ------------------------------------------------------------------------


class Estimator:
    """Like a scikit-learn estimator: fit changes the instance; no pack describes it."""

    def fit(self, x: object) -> Estimator:
        self.fitted_ = x
        return self


def test_unannotated_calls_return_none(core_index: AnnotationIndex) -> None:
    assert core_index.effects_for(Estimator().fit, (1,), {}) is None
    assert core_index.effects_for(lambda: 1, (), {}) is None
    assert core_index.effects_for(Estimator, (), {}) is None
    sklearn = pytest.importorskip("sklearn.linear_model")
    model = sklearn.LinearRegression()
    assert core_index.effects_for(model.fit, ([[1.0]], [1.0]), {}) is None


def test_user_override_of_an_annotated_method_is_not_trusted(core_index) -> None:
    class CountingDict(dict):
        def get(self, key, default=None):  # changes the instance, unlike dict.get
            self.hits = getattr(self, "hits", 0) + 1
            return super().get(key, default)

    counting = CountingDict()
    assert core_index.effects_for(counting.get, ("k",), {}) is None
    # Methods it inherits unchanged keep dict's description.
    assert effects(core_index, counting.update, {}).mutated == (SELF_REF,)


# -- refs ---------------------------------------------------------------------------------


def test_resolve_helper() -> None:
    receiver, first, second, result = object(), object(), object(), object()
    args = (first, second)
    kwargs = {"out": second}
    assert resolve(SELF_REF, receiver, args, kwargs, result) == [receiver]
    assert resolve(RESULT_REF, receiver, args, kwargs, result) == [result]
    assert resolve(Ref("positional", position=1), receiver, args, kwargs) == [second]
    assert resolve(Ref("positional", position=5), receiver, args, kwargs) == []
    assert resolve(Ref("keyword", name="out"), receiver, args, kwargs) == [second]
    assert resolve(Ref("keyword", name="missing"), receiver, args, kwargs) == []
    assert resolve(Ref("all_positional"), receiver, args, kwargs) == [first, second]
    assert resolve(RESULT_REF, receiver, (), {}, (first, second)) == [first, second]
    with pytest.raises(ValueError, match="unknown reference kind"):
        resolve(Ref("bogus"), receiver, args, kwargs)


def test_keyword_ref_finds_an_argument_passed_positionally(index_of) -> None:
    index = index_of(
        """
        - module: json
          annotations:
            - criteria:
                function_name: dump
              side_effects:
                - mutated_value:
                    argument_keyword: fp
                - mutated_value:
                    positional_argument_index: 1
        """
    )
    stream = io.StringIO()
    found = index.effects_for(json.dump, ({}, stream), {})
    assert found is not None
    by_name, by_position = found.mutated
    assert found.resolve(by_name, ({}, stream), {}) == [stream]
    assert found.resolve(by_position, ({},), {"fp": stream}) == [stream]
