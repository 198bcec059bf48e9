"""Proving that a statement changed no big object, without looking at the object.

Fingerprints (:mod:`.fingerprint`) cost what the data costs: a helper of the user's
called on a 2,000,000-item list or a 1,000,000 x 20 DataFrame pays a walk or a hash of
all of it before and after every call. For such *big* roots, this module replaces the
look at the data by a proof about the code: the statement ran nothing that can change
an object that existed before it. The proof has a static half and a dynamic half, and
any doubt in either makes the big roots count as changed (see "when the proof fails").

Static half (before the statement runs), on the bytecode of the statement and of every
function of the user's it may call (their nested code included):

* no instruction that writes through a reference: ``STORE_ATTR``/``STORE_SUBSCR``/
  ``DELETE_*`` (locals excepted), in-place operators (``x += y`` is ``list.extend`` on a
  list), ``STORE_GLOBAL``, writes to closure cells the function does not own, imports,
  generators, class bodies; opcodes are allowed by list, so an unknown one fails;
* no attribute read as a *value*: ``obj.attr`` not immediately called could hand a
  bound mutator (``data.append``) or a writable view (``series.array``) to C code that
  calls it where no profiler sees it (``list(map(data.append, xs))``). Method calls
  (``obj.m(...)``, compiled as a method load then a call) are allowed: the call is seen
  (below). Attributes of library modules are resolved now instead (``np.linalg``);
* every global a body reads resolves now to a function of the user's (proved the same
  way), a library module, a built-in function an annotation pack declares pure
  whatever its arguments, a built-in type of the passive kind (``list``, ``len``...),
  or data; a built-in function used as a value could be called from C unseen, so it
  must be pure; a library callable that is neither a Python function nor a built-in
  function (a numpy ufunc, a class) fails, as its call is not seen.

Data the statement reads must hold no *capability* (a built-in bound method, a
``functools.partial``, a method descriptor: callables C code could call unseen), and a
big root must be passive through and through (built-in containers of scalars, numpy
arrays of numbers, pandas objects): its walk must be complete, without opaque objects,
instances or functions.

Dynamic half (while it runs), a ``sys.setprofile`` hook that sees every Python frame and
every call of a built-in function or method made by Python code:

* a frame of the user's code must be one proved statically (a lambda made at run time
  is proved on first sight);
* a Python frame of a library, entered from the user's code, must be a call an
  annotation pack declares pure (``DataFrame.__getitem__``, ``Series.mean``), found
  from the frame (the function whose code it runs, bound to its first argument), with
  its actual arguments (so ``inplace=True`` is seen); its internals are then trusted,
  except the user's callbacks, which are checked again;
* a built-in called from the user's code must be pure whatever its arguments
  (``len``, ``sorted``, ``list.count``), or change only its receiver when that
  receiver is not part of a big root (``out.append(x)`` on a list the helper made).

When the static half refuses, the statement takes the ordinary fingerprint path. When
the dynamic half refuses, the hook has stopped the run just before the call it could
not prove: everything that ran until then was proved, so the big roots are still as
they were before the statement, and they are fingerprinted right then (from the hook);
the statement's end compares as usual, exactly. Only if that fingerprint fails do the
big roots count as changed by the statement (sound, less precise). A function that
failed dynamically is remembered, and statements calling it are fingerprinted from the
start from then on.

What the proof trusts, as the rest of capture does: packs describe library calls
correctly; library code does not keep references to the user's objects and change
them later; other threads do not change them; and methods of library objects are
Python functions or built-in methods (a method that is a C callable of another kind,
e.g. a ufunc stored as an attribute, is called unseen).

Big roots' walks are cached (:class:`ScanCache`): a digest-free walk of a big list costs
what the list costs, so it is reused while the object's alias set shows no new history
(every change of an object is recorded there, which is what slicing relies on anyway).
"""

from __future__ import annotations

import builtins
import dis
import sys
import types
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from linea_core.capture.fingerprint import NDARRAY, PD_FRAME, PD_SERIES, Snapshot, Walker
from linea_core.capture.objects import AliasSet, ObjectTable

#: A root is big when walking it would visit this many items, or hash this many bytes.
BIG_ITEMS = 50_000
BIG_BYTES = 4_000_000

# Opcodes that read, compute, branch, build fresh objects or call (calls are seen by
# the profiler hook), across CPython 3.10-3.13. Anything else fails the proof.
_SAFE_OPCODES = frozenset(
    """
    NOP POP_TOP ROT_TWO ROT_THREE ROT_FOUR ROT_N DUP_TOP DUP_TOP_TWO COPY SWAP PUSH_NULL
    LOAD_CONST LOAD_FAST LOAD_FAST_CHECK LOAD_FAST_AND_CLEAR LOAD_FAST_LOAD_FAST
    LOAD_SMALL_INT LOAD_DEREF LOAD_CLOSURE LOAD_GLOBAL LOAD_NAME LOAD_ASSERTION_ERROR
    RESUME CACHE EXTENDED_ARG PRECALL KW_NAMES CALL CALL_FUNCTION CALL_FUNCTION_KW
    CALL_METHOD CALL_KW CALL_FUNCTION_EX MAKE_FUNCTION SET_FUNCTION_ATTRIBUTE MAKE_CELL
    COPY_FREE_VARS STORE_FAST STORE_FAST_STORE_FAST STORE_FAST_LOAD_FAST DELETE_FAST
    BUILD_TUPLE BUILD_LIST BUILD_SET BUILD_MAP BUILD_CONST_KEY_MAP BUILD_STRING
    BUILD_SLICE LIST_APPEND SET_ADD MAP_ADD LIST_EXTEND SET_UPDATE DICT_UPDATE DICT_MERGE
    LIST_TO_TUPLE UNPACK_SEQUENCE UNPACK_EX BINARY_OP BINARY_SUBSCR BINARY_SLICE
    BINARY_ADD BINARY_SUBTRACT BINARY_MULTIPLY BINARY_TRUE_DIVIDE BINARY_FLOOR_DIVIDE
    BINARY_MODULO BINARY_POWER BINARY_MATRIX_MULTIPLY BINARY_LSHIFT BINARY_RSHIFT
    BINARY_AND BINARY_OR BINARY_XOR UNARY_POSITIVE UNARY_NEGATIVE UNARY_NOT
    UNARY_INVERT COMPARE_OP IS_OP CONTAINS_OP TO_BOOL FORMAT_VALUE FORMAT_SIMPLE
    FORMAT_WITH_SPEC CONVERT_VALUE GET_ITER FOR_ITER END_FOR POP_ITER JUMP_FORWARD
    JUMP_BACKWARD JUMP_BACKWARD_NO_INTERRUPT JUMP_ABSOLUTE JUMP JUMP_NO_INTERRUPT
    POP_JUMP_IF_TRUE POP_JUMP_IF_FALSE POP_JUMP_IF_NONE POP_JUMP_IF_NOT_NONE
    POP_JUMP_FORWARD_IF_TRUE POP_JUMP_FORWARD_IF_FALSE POP_JUMP_BACKWARD_IF_TRUE
    POP_JUMP_BACKWARD_IF_FALSE POP_JUMP_FORWARD_IF_NONE POP_JUMP_FORWARD_IF_NOT_NONE
    POP_JUMP_BACKWARD_IF_NONE POP_JUMP_BACKWARD_IF_NOT_NONE JUMP_IF_TRUE_OR_POP
    JUMP_IF_FALSE_OR_POP JUMP_IF_NOT_EXC_MATCH RETURN_VALUE RETURN_CONST SETUP_FINALLY
    POP_BLOCK POP_EXCEPT PUSH_EXC_INFO CHECK_EXC_MATCH RERAISE RAISE_VARARGS
    NOT_TAKEN LOAD_ATTR LOAD_METHOD STORE_DEREF DELETE_DEREF CALL_INTRINSIC_1
    """.split()
)
# Only in the statement's own code: its bindings are followed by identity checks.
_STATEMENT_OPCODES = frozenset({"STORE_NAME", "DELETE_NAME", "STORE_GLOBAL"})
_COMPARISONS = frozenset({"==", "!=", "<=", ">="})
# CALL_INTRINSIC_1 operands that only compute (3.12+); INTRINSIC_IMPORT_STAR is not one.
_SAFE_INTRINSICS = frozenset(
    {"INTRINSIC_PRINT", "INTRINSIC_STOPITERATION_ERROR", "INTRINSIC_UNARY_POSITIVE",
     "INTRINSIC_LIST_TO_TUPLE"}
)  # fmt: skip
_CODE_FLAGS_REFUSED = (
    0x20 | 0x80 | 0x100 | 0x200
)  # generator, coroutine, iterable coroutine, async gen

# Built-in functions that return fresh values and call nothing but the dunders of
# their (passive) arguments and callables the proof already covers.
_PURE_BUILTINS = frozenset(
    """abs all any ascii bin bool callable chr complex dict divmod enumerate filter float
    format frozenset hash hex id int isinstance issubclass iter len list map max min next
    oct ord pow print range repr reversed round set slice sorted str sum tuple zip""".split()
)
# Types whose calls (construction) emit no profiler event: only these built-ins.
# Built-ins whose described effects depend on arguments the hook cannot see, but never
# touch plain data: ``print`` writes to its ``file`` (a stream, never plain data) and
# ``next`` advances an iterator (never part of plain data: iterators are opaque).
_HARMLESS_TO_DATA = frozenset({"print", "next"})
# Containers whose storage no other object shares (unlike a numpy view).
_UNSHARED_CONTAINERS = frozenset({list, dict, set, bytearray})
_PASSIVE_TYPES = frozenset(
    {bool, complex, dict, enumerate, filter, float, frozenset, int, list, map, range,
     reversed, set, slice, str, tuple, zip, bytes}
)  # fmt: skip
# Callables that hand out references or run code given as text: never allowed.
_REFUSED_BUILTINS = frozenset(
    {"getattr", "setattr", "delattr", "vars", "globals", "locals", "exec", "eval",
     "compile", "__import__", "open", "input", "breakpoint", "memoryview", "super",
     "object", "type", "property", "classmethod", "staticmethod"}
)  # fmt: skip


class CodeProof:
    """What the static half found in one code object (and its nested code)."""

    __slots__ = ("refused", "globals", "module_attrs")

    def __init__(self) -> None:
        self.refused: str | None = None
        self.globals: set[str] = set()  # names read as globals
        # ``np.linalg.norm`` chains, and whether the last attribute is called at once
        self.module_attrs: set[tuple[tuple[str, ...], bool]] = set()


def prove_code(code: types.CodeType, *, statement: bool = False) -> CodeProof:
    """The static half for one code object (see the module docstring)."""
    proof = CodeProof()
    _check_code(code, proof, statement)
    return proof


def _check_code(code: types.CodeType, proof: CodeProof, statement: bool) -> None:
    if code.co_flags & _CODE_FLAGS_REFUSED:
        proof.refused = f"{code.co_name} is a generator or coroutine"
        return
    freevars = set(code.co_freevars)
    chain: list[str] | None = None  # names of a global.attr.attr chain being read
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in ("LOAD_GLOBAL", "LOAD_NAME"):
            name = str(ins.argval)
            proof.globals.add(name)
            chain = [name]
            continue
        if op in ("LOAD_ATTR", "LOAD_METHOD"):
            method = op == "LOAD_METHOD" or (
                sys.version_info >= (3, 12) and bool((ins.arg or 0) & 1)
            )
            name = str(ins.argval)
            if chain is not None:
                chain.append(name)
                proof.module_attrs.add((tuple(chain), method))
                if method:
                    chain = None
                continue  # resolved before the statement runs (see Proofs.refused_names)
            if not method:
                proof.refused = f"{code.co_name} reads the attribute {name!r} as a value"
                return
            if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                proof.refused = f"{code.co_name} calls the private method {name!r}"
                return
            continue
        chain = None
        if op in _SAFE_OPCODES:
            if op == "BINARY_OP" and ins.argrepr.endswith("=") and ins.argrepr not in _COMPARISONS:
                proof.refused = f"{code.co_name} uses the in-place operator {ins.argrepr}"
                return
            if op in ("STORE_DEREF", "DELETE_DEREF") and ins.argval in freevars:
                proof.refused = f"{code.co_name} rebinds the enclosing variable {ins.argval}"
                return
            if op == "CALL_INTRINSIC_1" and ins.argrepr not in _SAFE_INTRINSICS:
                proof.refused = f"{code.co_name} uses {ins.argrepr}"
                return
            continue
        if statement and op in _STATEMENT_OPCODES:
            continue
        proof.refused = f"{code.co_name} uses {op}"
        return
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _check_code(const, proof, False)
            if proof.refused is not None:
                return


class ScanCache:
    """Digest-free walks of big objects, valid while their alias set shows no change.

    Entries hold no reference to the objects (ids only, and a weak reference to the
    alias set), so caching never keeps user data alive; an object that died cannot pass
    for its successor at the same address, whose alias set is a different one.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[AliasSet], tuple[Any, ...], Snapshot]] = {}

    def get(self, value: object, aset: AliasSet, version: tuple[Any, ...]) -> Snapshot | None:
        entry = self._entries.get(id(value))
        if entry is None or entry[0]() is not aset or entry[1] != version:
            return None
        return entry[2]

    def put(
        self, value: object, aset: AliasSet, version: tuple[Any, ...], walk: Snapshot
    ) -> Snapshot:
        ghost = Snapshot(None, digest=False)
        ghost.reached = dict.fromkeys(walk.reached)
        ghost.owners = dict.fromkeys(walk.owners)
        ghost.opaque = walk.opaque
        ghost.complete = walk.complete
        ghost.capabilities = walk.capabilities
        ghost.passive = walk.passive
        self._entries[id(value)] = (weakref.ref(aset), version, ghost)
        if len(self._entries) > 256:  # mostly objects long gone: forget the oldest
            for key in list(self._entries)[:128]:
                del self._entries[key]
        return ghost


def object_version(value: object, aset: AliasSet) -> tuple[Any, ...]:
    """What must not change for a cached walk of ``value`` to stay true: its alias
    set's latest change, members and held sets, and its length."""
    held = tuple((id(h), h.last, len(h.members)) for h in aset.held_sets())
    size = len(value) if type(value) in (list, dict, set, tuple) else None  # type: ignore[arg-type]
    return (aset.last, len(aset.members), held, size)


def estimated_weight(walker: Walker, value: Any) -> int:
    """Bytes a fingerprint of ``value`` reads (items count as 80), without walking it."""
    tp = type(value)
    if tp in (list, dict, set, tuple, frozenset):
        return len(value) * (BIG_BYTES // BIG_ITEMS)
    kind = walker.kind_of_type(tp)
    try:
        if kind == NDARRAY or kind == PD_SERIES:
            return int(value.nbytes)
        if kind == PD_FRAME:
            return int(value.memory_usage(index=False, deep=False).sum())
    except Exception:
        return 0
    return 0


def is_big(walker: Walker, value: object) -> bool:
    return estimated_weight(walker, value) >= BIG_BYTES


# ---------------------------------------------------------------------------- dynamic

_USER = 0  # a frame of the user's code: its calls are checked
_BUILTIN = 1  # a built-in called from checked code: what it calls is checked too
_TRUSTED = 2  # inside a library call declared pure: its internals are not checked


class Vetting:
    """The dynamic half: a profiler hook for the run of one statement.

    ``unsafe`` is None while everything seen is proved, else why not (then the hook
    removes itself: nothing later can make the statement proved again).
    """

    def __init__(
        self,
        statement_code: types.CodeType,
        proofs: Proofs,
        big_ids: Iterable[int],
        on_fail: Callable[[], bool] | None = None,
    ) -> None:
        self.statement_code = statement_code
        self._on_fail = on_fail
        self.caught_up = False  # on_fail fingerprinted the big roots when vetting stopped
        self.namespace = proofs.namespace
        self.user_code_ok = proofs.user_code_ok
        self.index = proofs.index
        self._methods = proofs.methods
        self.big_ids = set(big_ids)
        self.unsafe: str | None = None
        self.unsafe_code: types.CodeType | None = None
        self._levels: list[int] = []
        self._user_codes: list[types.CodeType] = []  # the user's frames being run
        self._started = False
        self._done = False
        self._previous: Any = None

    def __enter__(self) -> Vetting:
        self._previous = sys.getprofile()
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(self._previous)

    def _fail(self, reason: str, code: types.CodeType | None = None) -> None:
        """Stop vetting: what runs next is not proved. Nothing that ran so far changed a
        pre-existing object, so fingerprints taken now are "before" fingerprints."""
        sys.setprofile(self._previous)
        if self.unsafe is not None:
            return
        self.unsafe = reason
        self.unsafe_code = code
        if self._on_fail is not None:
            try:
                self.caught_up = bool(self._on_fail())
            except Exception:  # the statement must run on; its big roots count as changed
                self.caught_up = False

    def _hook(self, frame: types.FrameType, event: str, arg: Any) -> None:
        levels = self._levels
        if self._done or (not self._started and event != "call"):
            return
        if event == "call":
            code = frame.f_code
            if not self._started:
                if code is not self.statement_code:
                    return  # linea's own frames before the statement's
                self._started = True
                levels.append(_USER)
                self._user_codes.append(code)
                return
            if frame.f_globals is self.namespace:
                if not self.user_code_ok(code, frame):
                    self._fail(f"calls {code.co_name}, which is not proved read-only", code)
                    return
                levels.append(_USER)
                self._user_codes.append(code)
                return
            if levels and levels[-1] == _TRUSTED:
                levels.append(_TRUSTED)
                return
            reason = self._library_call_refused(frame)
            if reason is not None:
                self._fail(reason, self._user_codes[-1] if self._user_codes else None)
                return
            levels.append(_TRUSTED)
        elif event == "return" or event == "c_return" or event == "c_exception":
            if levels:
                if levels.pop() == _USER:
                    self._user_codes.pop()
                if not levels:
                    self._done = True  # the statement's frame returned
        elif event == "c_call":
            if levels and levels[-1] == _TRUSTED:
                levels.append(_TRUSTED)
                return
            reason = self._builtin_call_refused(arg)
            if reason is not None:
                self._fail(reason, self._user_codes[-1] if self._user_codes else None)
                return
            # what ``print`` runs (a stream's ``write``) is trusted; what other
            # built-ins run (a key function, a dunder) is checked as any call
            levels.append(_TRUSTED if _is_print(arg) else _BUILTIN)

    def _builtin_call_refused(self, func: Any) -> str | None:
        name = getattr(func, "__name__", "?")
        receiver = getattr(func, "__self__", None)
        if receiver is None or type(receiver) is types.ModuleType:
            if name in _REFUSED_BUILTINS:
                return f"calls {name}()"
            if name in _HARMLESS_TO_DATA and receiver is builtins:
                return None
        call = self._effects(func)
        if call is None:
            return f"calls {name}(), which no annotation pack describes whatever its arguments"
        if call.dependencies or call.effects.external_writes:
            return f"calls {name}(), which reads or writes state outside its arguments"
        for ref in call.mutated:
            if ref.kind != "self":
                return f"calls {name}(), which changes an argument"
            # ``out.append(x)`` on a list the helper made: a built-in container that is
            # not part of a big root (a numpy view of one would share its memory)
            target = call.receiver
            if type(target) not in _UNSHARED_CONTAINERS or id(target) in self.big_ids:
                return f"calls {name}() on data it must not change"
        return None

    def _library_call_refused(self, frame: types.FrameType) -> str | None:
        code = frame.f_code
        label = getattr(code, "co_qualname", code.co_name)
        try:
            local = frame.f_locals
        except Exception:
            return f"calls {label}, whose arguments cannot be read"
        positional, kwargs = _frame_arguments(code, local)
        func: Any = None
        if positional:
            first = positional[0]
            owner = first if isinstance(first, type) else type(first)
            key = (owner, code)
            found = self._methods.get(key, _NOT_FOUND)
            if found is _NOT_FOUND:
                found = self._methods[key] = _method_running(owner, code)
            if found is not None:
                func = types.MethodType(found, first)
                positional = positional[1:]
        if func is None:
            found = frame.f_globals.get(code.co_name)
            if type(found) is types.FunctionType and found.__code__ is code:
                func = found
        if func is None:
            return f"calls {label} of a library, which linea cannot name"
        effects = self._effects(func, tuple(positional), kwargs)
        if effects is None:
            return f"calls {label}, which no annotation pack describes"
        if effects.mutated or effects.dependencies or effects.effects.external_writes:
            return f"calls {label}, which is not pure"
        return None

    def _effects(
        self, func: Any, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None
    ) -> Any:
        """The pack's description of the call; without ``args``, only a description
        that holds whatever the (unseen) arguments are."""
        if self.index is None:
            return None
        try:
            if args is None:
                return self.index.effects_whatever_the_arguments(func)
            return self.index.effects_for(func, args, kwargs or {})
        except Exception:
            return None


_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08


def _is_print(func: Any) -> bool:
    return func is builtins.print


def _frame_arguments(code: types.CodeType, local: Any) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments a frame was called with (as it sees them)."""
    names = code.co_varnames
    count = code.co_argcount
    positional = [local[name] for name in names[:count] if name in local]
    kwonly = names[count : count + code.co_kwonlyargcount]
    kwargs = {name: local[name] for name in kwonly if name in local}
    index = count + code.co_kwonlyargcount
    if code.co_flags & _CO_VARARGS:
        extra = local.get(names[index], ())
        if isinstance(extra, tuple):
            positional.extend(extra)
        index += 1
    if code.co_flags & _CO_VARKEYWORDS:
        extra = local.get(names[index], {})
        if isinstance(extra, dict):
            kwargs.update(extra)
    return positional, kwargs


def _method_running(owner: type, code: types.CodeType) -> types.FunctionType | None:
    """The function in ``owner``'s MRO (decorated or not) whose code the frame runs."""
    for klass in owner.__mro__:
        for value in list(klass.__dict__.values()):
            if isinstance(value, (classmethod, staticmethod)):
                value = value.__func__
            if type(value) is types.FunctionType and value.__code__ is code:
                return value
    return None


def builtin_named(name: str, namespace: dict[str, Any]) -> Any:
    table = namespace.get("__builtins__", builtins)
    if isinstance(table, types.ModuleType):
        table = table.__dict__
    return table.get(name) if isinstance(table, dict) else None


class Proofs:
    """One session's proofs: code verdicts, functions that failed, cached walks."""

    def __init__(
        self,
        namespace: dict[str, Any],
        walker: Walker,
        objects: ObjectTable,
        index: Callable[[], Any],
    ) -> None:
        self.namespace = namespace
        self.walker = walker
        self.objects = objects
        self._index = index
        self.scans = ScanCache()
        self._codes: dict[types.CodeType, CodeProof] = {}
        self._statement_codes: dict[types.CodeType, CodeProof] = {}
        self.failed: set[types.CodeType] = set()  # user code that failed while running
        self._ok_now: dict[types.CodeType, bool] = {}  # per statement (see begin)
        # (receiver class, code) -> the library function running that code, or None
        self.methods: dict[tuple[type, types.CodeType], Any] = {}

    @property
    def index(self) -> Any:
        return self._index()

    # ------------------------------------------------------------------ static half
    def code_proof(self, code: types.CodeType, *, statement: bool = False) -> CodeProof:
        cache = self._statement_codes if statement else self._codes
        proof = cache.get(code)
        if proof is None:
            proof = cache[code] = prove_code(code, statement=statement)
        return proof

    def refused_code(self, code: types.CodeType, *, statement: bool = False) -> str | None:
        """Why ``code`` may change pre-existing objects (None: it cannot, given checks
        of the values it reads, which :meth:`refused_names` makes)."""
        if code in self.failed:
            return f"{code.co_name} was seen calling something not proved read-only"
        proof = self.code_proof(code, statement=statement)
        if proof.refused is not None:
            return proof.refused
        return self.refused_names(proof)

    def refused_names(self, proof: CodeProof) -> str | None:
        ns = self.namespace
        for name in proof.globals:
            reason = self._refused_global(name)
            if reason is not None:
                return reason
        for chain, method in proof.module_attrs:
            value: Any = ns.get(chain[0], _NOT_FOUND)
            if value is _NOT_FOUND:
                continue  # a built-in (checked above) or a NameError when it runs
            last = len(chain) - 1
            for position, attr in enumerate(chain[1:], start=1):
                if type(value) is not types.ModuleType:
                    if position == last and method:
                        break  # a method call: seen when it happens
                    return f"reads the attribute {attr!r} of {chain[0]} as a value"
                found = value.__dict__.get(attr, _NOT_FOUND)
                if found is _NOT_FOUND:
                    return f"reads {'.'.join(chain[: position + 1])}, not found statically"
                value = found
            else:
                reason = self._refused_value(".".join(chain), value)
                if reason is not None:
                    return reason
        return None

    def _refused_global(self, name: str) -> str | None:
        ns = self.namespace
        if name in ns:
            return self._refused_value(name, ns[name])
        if name in _REFUSED_BUILTINS:
            return f"calls {name}()"
        if builtin_named(name, ns) is None:
            return None  # a NameError when it runs
        if name in _PURE_BUILTINS:
            return None
        return f"uses the built-in {name}"

    def _refused_value(self, name: str, value: Any) -> str | None:
        tp = type(value)
        if tp is types.ModuleType:
            return None
        if tp is types.FunctionType:
            if value.__globals__ is self.namespace:
                code = value.__code__
                if code in self.failed:
                    return f"{name} was seen calling something not proved read-only"
                proof = self.code_proof(code)
                if proof.refused is not None:
                    return proof.refused
            return None  # its globals are checked when it runs
        if tp is types.BuiltinFunctionType:
            if getattr(value, "__name__", "") in _REFUSED_BUILTINS:
                return f"uses {name}"
            # it may be called from C where no hook sees it: pure whatever its arguments
            call = self._effects_unseen(value)
            if call is None or call.mutated or call.effects.external_writes:
                return f"uses {name}, not declared pure"
            return None
        if isinstance(value, type):
            return None if value in _PASSIVE_TYPES else f"calls the class {name}"
        if callable(value):
            return f"uses {name}, a callable whose calls are not seen"
        return None  # data: its walk is checked (capabilities, passivity)

    def _effects_unseen(self, func: Any) -> Any:
        index = self.index
        if index is None:
            return None
        try:
            return index.effects_whatever_the_arguments(func)
        except Exception:
            return None

    # ------------------------------------------------------------------ big roots
    def scan(self, value: object) -> Snapshot | None:
        """A digest-free walk of a big root (cached while its history is unchanged), or
        None when the object is not tracked yet."""
        aset = self.objects.get(value)
        if aset is None:
            return None
        aset = aset.current()
        version = object_version(value, aset)
        cached = self.scans.get(value, aset, version)
        if cached is not None:
            return cached
        walk = self.walker.snapshot(value, digest=False)
        return self.scans.put(value, aset, version, walk)

    # ------------------------------------------------------------------ dynamic half
    def begin(self) -> None:
        self._ok_now = {}

    def user_code_ok(self, code: types.CodeType, frame: Any) -> bool:
        known = self._ok_now.get(code)
        if known is None:
            known = self._ok_now[code] = self.refused_code(code) is None
        return known


_NOT_FOUND = object()

__all__ = ["CodeProof", "Proofs", "ScanCache", "Vetting", "prove_code"]
