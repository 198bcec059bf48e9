"""Building the index: user packs, precedence, lazily imported libraries, caching."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from textwrap import dedent

import pytest
from annotation_kit import SKLEARN_FIT

from linea_core.annotations.effects import RESULT_REF, SELF_REF, Ref
from linea_core.annotations.index import AnnotationIndex, AnnotationPackWarning
from linea_core.builtins.annotation_packs import core_packs

pytestmark = pytest.mark.engine

ARG0 = Ref("positional", position=0)

DICT_GET_MUTATES = """\
- module: builtins
  annotations:
    - criteria:
        class_instance: dict
        class_method_name: get
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
"""


def user_folder(tmp_path: Path, **packs: str) -> Path:
    folder = tmp_path / "customized_annotations"
    folder.mkdir()
    for name, text in packs.items():
        (folder / f"{name}.annotations.yaml").write_text(dedent(text))
    return folder


def test_user_pack_overrides_a_core_target_and_adds_new_ones(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, mine=DICT_GET_MUTATES, sklearn=SKLEARN_FIT)
    index = AnnotationIndex.from_packs(core_packs(), folder)
    data: dict[str, int] = {}
    get = index.effects_for(data.get, ("k",), {})
    assert get is not None and get.mutated == (SELF_REF,)
    # Targets the user pack does not mention keep the core description.
    keys = index.effects_for(data.keys, (), {})
    assert keys is not None and keys.views == ((SELF_REF, RESULT_REF),)
    linear_model = pytest.importorskip("sklearn.linear_model")
    model = linear_model.LinearRegression()
    fit = index.effects_for(model.fit, ([[1.0]], [1.0]), {})
    assert fit is not None
    assert fit.mutated == (SELF_REF,) and fit.views == ((SELF_REF, RESULT_REF),)
    assert fit.receiver is model


def test_override_replaces_only_the_same_target_and_condition(index_of) -> None:
    np = pytest.importorskip("numpy")
    core = """
    - module: numpy
      annotations:
        - criteria: {function_name: sum}
          side_effects: []
        - criteria:
            function_name: sum
            keyword_arg_name: out
          side_effects:
            - mutated_value: {argument_keyword: out}
    """
    user = """
    - module: numpy
      annotations:
        - criteria: {function_name: sum}
          side_effects:
            - dependency: {external_state: db}
    """
    index = index_of(core, user)
    a, out = np.arange(3), np.zeros(())
    plain = index.effects_for(np.sum, (a,), {})
    assert plain is not None and plain.external_reads == {"db"} and not plain.mutated
    with_out = index.effects_for(np.sum, (a,), {"out": out})
    assert with_out is not None and with_out.mutated == (Ref("keyword", name="out"),)
    assert with_out.external_reads == {"db"}


def test_annotations_of_one_pack_for_one_target_are_combined(index_of) -> None:
    index = index_of(
        """
        - module: builtins
          annotations:
            - criteria: {class_instance: list, class_method_name: append}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: list, class_method_names: [append, extend]}
              side_effects: [{mutated_value: {positional_argument_index: 0}}]
        """
    )
    found = index.effects_for([].append, (1,), {})
    assert found is not None and found.mutated == (SELF_REF, ARG0)


def test_malformed_user_pack_is_reported_and_skipped(tmp_path: Path) -> None:
    folder = user_folder(
        tmp_path,
        broken="- module: m\n  annotations:\n    - criteria: {function_nam: f}\n      side_effects: []\n",
        good=DICT_GET_MUTATES,
    )
    with pytest.warns(AnnotationPackWarning) as warned:
        index = AnnotationIndex.from_packs(core_packs(), folder)
    (message,) = [str(warning.message) for warning in warned]
    assert "broken.annotations.yaml" in message
    assert "entry #1 (module 'm')" in message and "unknown key 'function_nam'" in message
    assert "left out" in message
    assert [error.source for error in index.errors] == [str(folder / "broken.annotations.yaml")]
    found = index.effects_for({}.get, ("k",), {})
    assert found is not None and found.mutated == (SELF_REF,)  # the good pack still applies


def test_a_library_that_is_not_imported_is_never_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_of
) -> None:
    name = "linea_annotation_probe_lib"
    (tmp_path / f"{name}.py").write_text("def write(path):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    index = index_of(
        f"""
        - module: {name}
          annotations:
            - criteria: {{function_name: write}}
              side_effects:
                - mutated_value: {{external_state: file_system}}
        """
    )
    assert index.effects_for(len, ([],), {}) is None
    assert name not in sys.modules
    assert name in index.pending_modules()
    module = __import__(name)
    try:
        found = index.effects_for(module.write, ("x",), {})
        assert found is not None and found.external_writes == {"file_system"}
        assert found.receiver is module
        assert name not in index.pending_modules()
    finally:
        sys.modules.pop(name, None)


def test_a_module_still_initialising_stays_pending(index_of) -> None:
    name = "linea_annotation_half_imported"
    module = types.ModuleType(name)
    module.__spec__ = types.SimpleNamespace(_initializing=True)  # type: ignore[assignment]
    module.act = lambda: None  # type: ignore[attr-defined]
    index = index_of(
        f"""
        - module: {name}
          annotations:
            - criteria: {{function_name: act}}
              side_effects: []
        """
    )
    sys.modules[name] = module
    try:
        assert index.effects_for(module.act, (), {}) is None
        module.__spec__._initializing = False  # type: ignore[union-attr]
        sys.modules[name + "_sibling"] = types.ModuleType(name + "_sibling")  # sys.modules changes
        found = index.effects_for(module.act, (), {})
        assert found is not None and found.is_pure
    finally:
        sys.modules.pop(name, None)
        sys.modules.pop(name + "_sibling", None)


def test_names_missing_from_an_imported_module_are_listed(index_of) -> None:
    index = index_of(
        """
        - module: json
          annotations:
            - criteria: {function_names: [dumps, no_such_function]}
              side_effects: []
            - criteria: {class_instance: NoSuchClass, class_method_name: m}
              side_effects: []
            - criteria: {class_instance: JSONDecoder, class_method_name: no_such_method}
              side_effects: []
        """
    )
    import json

    assert index.effects_for(json.dumps, ({},), {}) is not None
    assert sorted(index.unresolved()) == [
        "json.JSONDecoder.no_such_method: not defined on the class itself",
        "json.NoSuchClass: not found",
        "json.no_such_function: not found",
    ]


def test_repeated_lookups_hit_the_cache(core_index: AnnotationIndex) -> None:
    before = core_index.plans_computed
    lists = [[] for _ in range(50)]
    for _ in range(20):
        for items in lists:
            assert core_index.effects_for(items.append, (1,), {}) is not None
    assert core_index.plans_computed - before == 1  # one plan for (list, "append")

    class Mine:
        def work(self) -> None:
            pass

    for _ in range(100):
        assert core_index.effects_for(Mine().work, (), {}) is None  # negative answers cached too
    assert core_index.plans_computed - before == 2
    for _ in range(100):  # module-level functions are matched by identity: no plan at all
        core_index.effects_for(len, ([],), {})
        core_index.effects_for(lambda: None, (), {})
    assert core_index.plans_computed - before == 2
