"""The compiled-rules cache: same rules as reading the packs, rebuilt whenever a pack
(or linea) changes, robust to damaged entries and to sessions starting together."""

from __future__ import annotations

import collections
import io
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from annotation_kit import over_call_cases

from linea_core.annotations import pack_cache
from linea_core.annotations.effects import SELF_REF
from linea_core.annotations.index import AnnotationIndex, AnnotationPackWarning
from linea_core.annotations.loader import load_pack
from linea_core.annotations.rules import RuleSet
from linea_core.builtins.annotation_packs import core_packs
from linea_core.plugins import AnnotationPack

pytestmark = pytest.mark.engine

DICT_GET_MUTATES = """\
- module: builtins
  annotations:
    - criteria: {class_instance: dict, class_method_name: get}
      side_effects:
        - mutated_value: {self_ref: SELF_REF}
"""
DICT_GET_WRITES_FILES = """\
- module: builtins
  annotations:
    - criteria: {class_instance: dict, class_method_name: get}
      side_effects:
        - mutated_value: {external_state: file_system}
"""
BROKEN = "- module: m\n  annotations:\n    - criteria: {function_nam: f}\n      side_effects: []\n"


def build(
    cache: Path | None, folder: Path | None = None, packs: list[AnnotationPack] | None = None
) -> AnnotationIndex:
    return AnnotationIndex.from_packs(
        core_packs() if packs is None else packs, folder, cache_dir=cache
    )


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("rules-*.pickle"))


def same_rules(left: RuleSet, right: RuleSet) -> bool:
    """Equal tables, in the same order (order decides how effects are merged)."""
    return all(
        list(getattr(left, table).items()) == list(getattr(right, table).items())
        and all(
            list(left_rows.items()) == list(right_rows.items())
            for left_rows, right_rows in zip(
                getattr(left, table).values(), getattr(right, table).values(), strict=True
            )
        )
        for table in ("functions", "methods", "class_conditions")
    )


def user_folder(tmp_path: Path, **packs: str) -> Path:
    folder = tmp_path / "customized_annotations"
    folder.mkdir(exist_ok=True)
    for name, text in packs.items():
        (folder / f"{name}.annotations.yaml").write_text(dedent(text))
    return folder


# -- same rules with and without the cache ------------------------------------------------


def test_the_second_session_reads_the_cache_and_gets_the_same_rules(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build(cache)
    assert first.cache_outcome == "rebuilt" and len(entries(cache)) == 1
    second = build(cache)
    assert second.cache_outcome == "hit"
    uncached = build(None)
    assert uncached.cache_outcome == "disabled"
    from_files = AnnotationIndex.from_loaded([load_pack(pack) for pack in core_packs()])
    for index in (first, second, uncached):
        assert same_rules(index._rules, from_files._rules)
    assert second.errors == [] and second.pending_modules() == uncached.pending_modules()
    assert second.unresolved() == uncached.unresolved()


@pytest.fixture(scope="module")
def cached_and_fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    cache = tmp_path_factory.mktemp("cache")
    build(cache)
    cached = build(cache)
    assert cached.cache_outcome == "hit"
    return cached, AnnotationIndex.from_loaded([load_pack(pack) for pack in core_packs()])


def describe(index: AnnotationIndex, func: object, args: tuple[Any, ...], kwargs: dict) -> Any:
    found = index.effects_for(func, args, kwargs)
    if found is None:
        return None
    resolved = [
        [id(obj) for obj in found.resolve(ref, args, kwargs, None)]
        for ref in (*found.mutated, *found.dependencies)
    ]
    return (
        found.mutated,
        found.views,
        found.dependencies,
        found.external_writes,
        found.external_reads,
        found.is_pure,
        id(found.receiver),
        found.arg_offset,
        resolved,
    )


@over_call_cases
def test_cached_rules_answer_the_table_driven_cases_alike(
    make: Callable[[], object],
    method: str,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    cached_and_fresh: tuple[AnnotationIndex, AnnotationIndex],
) -> None:
    cached, fresh = cached_and_fresh
    value = make()
    bound = getattr(value, method)
    unbound = getattr(type(value), method)
    assert describe(cached, bound, args, kwargs) == describe(fresh, bound, args, kwargs)
    assert describe(cached, bound, args, kwargs) is not None
    with_receiver = (value, *args)
    assert describe(cached, unbound, with_receiver, kwargs) == describe(
        fresh, unbound, with_receiver, kwargs
    )


def test_cached_rules_answer_functions_and_keyword_conditions_alike(
    cached_and_fresh: tuple[AnnotationIndex, AnnotationIndex], tmp_path: Path
) -> None:
    import json
    import random

    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    cached, fresh = cached_and_fresh
    a, out = np.arange(3.0), np.zeros(3)
    frame = pd.DataFrame({"a": [1.0, None]})
    calls: list[tuple[object, tuple[Any, ...], dict[str, Any]]] = [
        (len, ([],), {}),
        (print, ("x",), {"file": io.StringIO()}),
        (open, (tmp_path / "f",), {}),
        (json.dump, ({}, io.StringIO()), {}),
        (random.seed, (0,), {}),
        (random.random, (), {}),
        (np.add, (a, a, out), {}),
        (np.add, (a, a), {"out": out}),
        (np.sum, (a,), {}),
        (np.random.seed, (0,), {}),
        (pd.read_csv, (tmp_path / "x.csv",), {}),
        (frame.dropna, (), {"inplace": True}),
        (frame.to_csv, (tmp_path / "y.csv",), {}),
        (collections.Counter().update, ("ab",), {}),
    ]
    for func, args, kwargs in calls:
        assert describe(cached, func, args, kwargs) == describe(fresh, func, args, kwargs), func


def test_keyword_values_of_every_yaml_type_survive_the_cache(tmp_path: Path) -> None:
    folder = user_folder(
        tmp_path,
        values="""
        - module: builtins
          annotations:
            - criteria: {class_instance: dict, keyword_arg_name: when, keyword_arg_value: 2020-01-02}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: dict, keyword_arg_name: at, keyword_arg_value: 2020-01-02 03:04:05+01:00}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: dict, keyword_arg_name: items, keyword_arg_value: [1, 2.5, x]}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: dict, keyword_arg_name: blob, keyword_arg_value: !!binary aGk=}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: dict, keyword_arg_name: nothing, keyword_arg_value: null}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
            - criteria: {class_instance: dict, keyword_arg_name: anything}
              side_effects: [{mutated_value: {self_ref: SELF_REF}}]
        """,
    )
    cache = tmp_path / "cache"
    build(cache, folder)
    cached = build(cache, folder)
    assert cached.cache_outcome == "hit"
    assert same_rules(cached._rules, build(None, folder)._rules)


# -- invalidation -------------------------------------------------------------------------


def test_editing_a_user_pack_rebuilds_and_going_back_reuses_the_old_entry(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    folder = user_folder(tmp_path, mine=DICT_GET_MUTATES)
    assert build(cache, folder).cache_outcome == "rebuilt"
    index = build(cache, folder)
    assert index.cache_outcome == "hit"
    assert index.effects_for({}.get, ("k",), {}).mutated == (SELF_REF,)  # type: ignore[union-attr]

    user_folder(tmp_path, mine=DICT_GET_WRITES_FILES)  # same file, new content
    index = build(cache, folder)
    assert index.cache_outcome == "rebuilt"
    found = index.effects_for({}.get, ("k",), {})
    assert found is not None and found.mutated == () and found.external_writes == {"file_system"}

    user_folder(tmp_path, mine=DICT_GET_MUTATES)
    index = build(cache, folder)
    assert index.cache_outcome == "hit" and len(entries(cache)) == 2
    assert index.effects_for({}.get, ("k",), {}).mutated == (SELF_REF,)  # type: ignore[union-attr]


def test_adding_removing_or_reordering_packs_changes_the_entry(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = user_folder(tmp_path, a_first=DICT_GET_MUTATES, b_second=DICT_GET_WRITES_FILES)
    index = build(cache, folder)
    assert index.cache_outcome == "rebuilt"
    # b_second comes later, so it replaces what a_first said about dict.get
    assert index.effects_for({}.get, ("k",), {}).mutated == ()  # type: ignore[union-attr]
    (folder / "b_second.annotations.yaml").rename(folder / "0_now_first.annotations.yaml")
    index = build(cache, folder)
    assert index.cache_outcome == "rebuilt"
    assert index.effects_for({}.get, ("k",), {}).mutated == (SELF_REF,)  # type: ignore[union-attr]
    (folder / "a_first.annotations.yaml").unlink()
    index = build(cache, folder)
    assert index.cache_outcome == "rebuilt"
    assert index.effects_for({}.get, ("k",), {}).mutated == ()  # type: ignore[union-attr]
    assert build(cache).cache_outcome == "rebuilt"  # no user packs at all
    assert len(entries(cache)) == 4


def test_a_new_linea_version_or_compiler_does_not_read_old_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build(cache)
    monkeypatch.setattr(pack_cache, "_code_key", lambda: b"another linea")
    assert build(cache).cache_outcome == "rebuilt"
    assert len(entries(cache)) == 2


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for number in range(pack_cache.KEEP_ENTRIES + 3):
        pack = AnnotationPack(name="p", text=DICT_GET_MUTATES + f"# version {number}\n")
        assert build(cache, packs=[pack]).cache_outcome == "rebuilt"
    assert len(entries(cache)) == pack_cache.KEEP_ENTRIES
    assert build(cache, packs=[pack]).cache_outcome == "hit"  # the newest one is kept


def test_the_default_cache_lives_in_the_linea_home(linea_home: Path) -> None:
    assert AnnotationIndex.from_packs(core_packs()).cache_outcome == "rebuilt"
    assert len(entries(linea_home / "cache" / "annotations")) == 1
    assert AnnotationIndex.from_packs(core_packs()).cache_outcome == "hit"


# -- damaged or foreign entries -----------------------------------------------------------


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_a_payload_byte(data: bytes) -> bytes:
    position = len(data) - 100
    return data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]


def _rename_a_method(data: bytes) -> bytes:
    """Still a well-formed pickle, with other rules: only the digest tells."""
    assert b"setdefault" in data
    return data.replace(b"setdefault", b"setdefaulT")


def _signed(payload: bytes) -> bytes:
    """A payload with a correct digest: it passes the integrity check."""
    import hashlib

    return pack_cache._MAGIC + hashlib.sha256(payload).digest() + payload


class Foreign:
    """Unpickling this would run code from this module: the cache must refuse it."""

    created = 0

    def __reduce__(self) -> tuple[Any, ...]:
        return (_record_creation, ())


def _record_creation() -> Foreign:
    Foreign.created += 1
    return Foreign()


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": _truncate,
    "garbage": lambda data: b"\x00not a cache entry" * 10,
    "flipped byte": _flip_a_payload_byte,
    "renamed method": _rename_a_method,
    "wrong format": lambda data: _signed(pickle.dumps({"format": -1}, protocol=4)),
    "wrong shape": lambda data: _signed(pickle.dumps({"format": 1, "rules": [1]}, protocol=4)),
    "a class": lambda data: _signed(pickle.dumps({"format": 1, "rules": Foreign()})),
}


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    folder = user_folder(tmp_path, mine=DICT_GET_MUTATES)
    build(cache, folder)
    (entry,) = entries(cache)
    entry.write_bytes(DAMAGES[damage](entry.read_bytes()))
    index = build(cache, folder)
    assert index.cache_outcome == "rebuilt" and index.errors == []
    assert Foreign.created == 0
    assert same_rules(index._rules, build(None, folder)._rules)
    assert index.effects_for({}.get, ("k",), {}).mutated == (SELF_REF,)  # type: ignore[union-attr]
    assert build(cache, folder).cache_outcome == "hit"  # the entry was rewritten


def test_an_unusable_cache_folder_only_costs_the_cache(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    index = build(not_a_folder)
    assert index.cache_outcome == "rebuilt" and index.errors == []
    assert index.effects_for([].append, (1,), {}) is not None
    assert not_a_folder.read_text() == "a file where the cache folder should be"


# -- invalid packs --------------------------------------------------------------------------


def test_an_invalid_user_pack_is_reported_the_same_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = user_folder(tmp_path, broken=BROKEN, good=DICT_GET_MUTATES)
    messages = []
    for outcome in ("rebuilt", "hit"):
        with pytest.warns(AnnotationPackWarning) as warned:
            index = build(cache, folder)
        assert index.cache_outcome == outcome
        (message,) = [str(warning.message) for warning in warned]
        messages.append(message)
        assert [error.source for error in index.errors] == [str(folder / "broken.annotations.yaml")]
        (error,) = index.errors
        assert error.entry == "entry #1 (module 'm'), annotation #1 (criteria: function_nam='f')"
        assert "unknown key 'function_nam'" in error.reason and error.line == 3
        found = index.effects_for({}.get, ("k",), {})
        assert found is not None and found.mutated == (SELF_REF,)  # the good pack applies
    assert messages[0] == messages[1]
    assert "broken.annotations.yaml" in messages[1] and "left out" in messages[1]


def test_unreadable_and_invalid_packs_are_reported_in_pack_order(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    packs = [
        AnnotationPack(name="missing", path=tmp_path / "missing.annotations.yaml"),
        AnnotationPack(name="bad_text", text=BROKEN),
        AnnotationPack(name="good", text=DICT_GET_MUTATES),
        AnnotationPack(name="not_yaml", text="- [unclosed"),
    ]
    for outcome in ("rebuilt", "hit"):
        with pytest.warns(AnnotationPackWarning):
            index = build(cache, packs=packs)
        assert index.cache_outcome == outcome
        assert [error.source for error in index.errors] == [
            str(tmp_path / "missing.annotations.yaml"),
            "<annotation pack 'bad_text'>",
            "<annotation pack 'not_yaml'>",
        ]
        assert index.errors[0].reason == "the file does not exist"
        assert "invalid YAML" in index.errors[2].reason
        assert index.effects_for({}.get, ("k",), {}) is not None


# -- across processes -----------------------------------------------------------------------

SESSION = """
import sys
from pathlib import Path
from linea_core.annotations.index import AnnotationIndex
from linea_core.builtins.annotation_packs import core_packs
index = AnnotationIndex.from_packs(core_packs(), cache_dir=Path(sys.argv[1]))
assert index.effects_for([].append, (1,), {}) is not None
heavy = ("yaml", "linea_core.annotations.spec", "linea_core.annotations.loader")
print(index.cache_outcome, sorted(name for name in heavy if name in sys.modules))
"""


def run_session(cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SESSION, str(cache)], stdout=subprocess.PIPE, text=True
    )


def test_a_cached_session_reads_no_yaml_and_validates_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = run_session(cache).communicate()
    assert first.split(" ", 1)[0] == "rebuilt"
    second, _ = run_session(cache).communicate()
    assert second.strip() == "hit []"


def test_sessions_starting_together_share_one_valid_entry(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    sessions = [run_session(cache) for _ in range(4)]
    outputs = [session.communicate()[0] for session in sessions]
    assert all(session.returncode == 0 for session in sessions), outputs
    assert len(entries(cache)) == 1
    assert [path.name for path in cache.iterdir() if path.name.endswith(".tmp")] == []
    assert build(cache).cache_outcome == "hit"
