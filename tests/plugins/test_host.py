"""The plugin host: attribution, isolation of broken plugins, and name conflicts."""

from __future__ import annotations

import io
import types
import warnings
from pathlib import Path

import click
import pytest
from plugin_kit import SitePackages, make_plugin
from toys import JsonSerializer, MemoryBackend, ToyWriter

from linea_core.plugins import AnnotationPack, hookimpl
from linea_core.plugins.host import LineaPluginWarning, PluginConflictError, PluginHost


def writers_plugin(name: str, *frameworks: str):
    @hookimpl
    def linea_register_pipeline_writers(register):
        for framework in frameworks:
            register(ToyWriter(framework))

    return make_plugin(name, linea_register_pipeline_writers=linea_register_pipeline_writers)


def full_plugin(name: str):
    @hookimpl
    def linea_register_pipeline_writers(register):
        register(ToyWriter("toyflow"))

    @hookimpl
    def linea_register_serializers(register):
        register(JsonSerializer())

    @hookimpl
    def linea_register_storage_backends(register):
        register(MemoryBackend())

    @hookimpl
    def linea_register_annotation_packs(register):
        register(AnnotationPack(name="toy-pack", text="[]"))

    return make_plugin(
        name,
        linea_register_pipeline_writers=linea_register_pipeline_writers,
        linea_register_serializers=linea_register_serializers,
        linea_register_storage_backends=linea_register_storage_backends,
        linea_register_annotation_packs=linea_register_annotation_packs,
    )


def messages(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, LineaPluginWarning)]


def test_everything_a_plugin_registers_is_attributed_and_usable(tmp_path: Path) -> None:
    host = PluginHost.from_modules(full_plugin("toy"))
    writer = host.pipeline_writers()["TOYFLOW"]  # framework names are upper-cased
    [rendered] = writer.render(types.SimpleNamespace(name="p"), None)
    assert (rendered.path, rendered.content) == ("toyflow.txt", "pipeline p\n")
    [serializer] = host.serializers()
    stream = io.BytesIO()
    serializer.dump({"a": [1]}, stream)
    stream.seek(0)
    assert serializer.load(stream) == {"a": [1]}
    backend = host.storage_backends()["memory"]
    stored = backend.write("k", lambda stream: stream.write(b"v"), options={})
    assert backend.open(stored, options={}).read() == b"v"
    assert [pack.name for pack in host.annotation_packs()] == ["toy-pack"]

    [info] = host.plugins()
    assert info.ok and info.name == "toy" and info.module == "toy"
    assert info.hooks == (
        "linea_register_annotation_packs",
        "linea_register_pipeline_writers",
        "linea_register_serializers",
        "linea_register_storage_backends",
    )
    assert dict(info.provides) == {
        "storage_backends": ("memory",),
        "serializers": ("json",),
        "annotation_packs": ("toy-pack",),
        "pipeline_writers": ("TOYFLOW",),
        "commands": (),
    }


def test_serializers_come_in_priority_order() -> None:
    @hookimpl
    def linea_register_serializers(register):
        register(JsonSerializer("late", 300))
        register(JsonSerializer("early", 10))
        register(JsonSerializer("b-mid", 100))
        register(JsonSerializer("a-mid", 100))

    host = PluginHost.from_modules(
        make_plugin("s", linea_register_serializers=linea_register_serializers)
    )
    assert [s.name for s in host.serializers()] == ["early", "a-mid", "b-mid", "late"]


def test_entry_points_are_discovered_with_distribution_and_version(site: SitePackages) -> None:
    site.install(
        "linea-toy",
        "1.2.3",
        {"toy": "linea_toy_ep"},
        {
            "linea_toy_ep": """
                from linea_core.plugins import hookimpl

                class Writer:
                    framework = "TOYFLOW"
                    def options_model(self):
                        return None
                    def render(self, pipeline, options):
                        return []

                @hookimpl
                def linea_register_pipeline_writers(register):
                    register(Writer())
            """
        },
    )
    host = PluginHost.from_entry_points(site.group)
    [info] = host.plugins()
    assert (info.name, info.distribution, info.version) == ("toy", "linea-toy", "1.2.3")
    assert info.module == "linea_toy_ep"
    assert info.hooks == ("linea_register_pipeline_writers",)
    assert set(host.pipeline_writers()) == {"TOYFLOW"}


def test_plugin_that_fails_to_import_is_reported_and_left_out(site: SitePackages) -> None:
    site.install(
        "broken-dist",
        "0.1",
        {"broken": "linea_broken_import"},
        {"linea_broken_import": "import this_module_does_not_exist_anywhere\n"},
    )
    site.install(
        "good-dist",
        "2.0",
        {"good": "linea_good_plugin"},
        {
            "linea_good_plugin": """
        from linea_core.plugins import hookimpl
        class W:
            framework = "GOOD"
            def options_model(self):
                return None
            def render(self, pipeline, options):
                return []
        @hookimpl
        def linea_register_pipeline_writers(register):
            register(W())
    """
        },
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        host = PluginHost.from_entry_points(site.group)
        writers = host.pipeline_writers()
    [message] = messages(record)
    assert "'broken'" in message and "broken-dist 0.1" in message
    assert "this_module_does_not_exist_anywhere" in message and "left out" in message
    assert set(writers) == {"GOOD"}
    infos = {info.name: info for info in host.plugins()}
    assert not infos["broken"].ok and "ModuleNotFoundError" in infos["broken"].error
    assert infos["good"].ok


def test_plugin_whose_hook_raises_is_left_out_entirely() -> None:
    @hookimpl
    def linea_register_serializers(register):
        register(JsonSerializer("half"))
        raise RuntimeError("disk on fire")

    @hookimpl
    def linea_register_pipeline_writers(register):
        register(ToyWriter("FLAKY"))

    flaky = make_plugin(
        "flaky",
        linea_register_serializers=linea_register_serializers,
        linea_register_pipeline_writers=linea_register_pipeline_writers,
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        host = PluginHost.from_modules(flaky, writers_plugin("fine", "FINE"))
        assert set(host.pipeline_writers()) == {"FINE"}
        assert host.serializers() == []
    [message] = messages(record)
    assert "'flaky'" in message and "RuntimeError: disk on fire" in message
    assert "linea_register_serializers" in message
    flaky_info = next(info for info in host.plugins() if info.name == "flaky")
    assert flaky_info.error and all(not names for names in flaky_info.provides.values())


def test_unknown_hook_name_is_reported_with_a_suggestion() -> None:
    @hookimpl
    def linea_register_pipeline_writer(register):  # missing the final "s"
        register(ToyWriter("TYPO"))

    typo = make_plugin("typo", linea_register_pipeline_writer=linea_register_pipeline_writer)
    with pytest.warns(LineaPluginWarning) as record:
        host = PluginHost.from_modules(typo, writers_plugin("fine", "FINE"))
    message = str(record[0].message)
    assert "'typo'" in message and "unknown hook" in message
    assert "did you mean 'linea_register_pipeline_writers'" in message
    assert set(host.pipeline_writers()) == {"FINE"}


def test_hookimpl_with_arguments_the_hook_does_not_have_is_reported() -> None:
    @hookimpl
    def linea_register_serializers(register, config):
        pass

    with pytest.warns(LineaPluginWarning, match="'odd' could not be registered.*config"):
        host = PluginHost.from_modules(
            make_plugin("odd", linea_register_serializers=linea_register_serializers)
        )
    assert host.plugins()[0].error


def test_registering_the_wrong_kind_of_object_is_reported() -> None:
    @hookimpl
    def linea_register_storage_backends(register):
        register(JsonSerializer())  # a serializer is not a storage backend

    with pytest.warns(LineaPluginWarning, match="'wrong'.*is neither a StorageBackend"):
        host = PluginHost.from_modules(
            make_plugin("wrong", linea_register_storage_backends=linea_register_storage_backends)
        )
        assert host.storage_backends() == {}


def test_annotation_pack_needs_exactly_one_source() -> None:
    @hookimpl
    def linea_register_annotation_packs(register):
        register(AnnotationPack(name="empty"))

    with pytest.warns(LineaPluginWarning, match="exactly one of path= or text="):
        host = PluginHost.from_modules(
            make_plugin("packs", linea_register_annotation_packs=linea_register_annotation_packs)
        )
        assert host.annotation_packs() == []


def test_function_named_like_a_hook_without_hookimpl_is_pointed_out() -> None:
    def linea_register_serializers(register):
        register(JsonSerializer())

    with pytest.warns(LineaPluginWarning, match="without @hookimpl"):
        host = PluginHost.from_modules(
            make_plugin("forgot", linea_register_serializers=linea_register_serializers)
        )
    assert host.serializers() == []


def test_same_framework_from_two_plugins_is_a_conflict_naming_both(site: SitePackages) -> None:
    source = """
        from linea_core.plugins import hookimpl
        class W:
            framework = "{framework}"
            def options_model(self):
                return None
            def render(self, pipeline, options):
                return []
        @hookimpl
        def linea_register_pipeline_writers(register):
            register(W())
    """
    site.install(
        "linea-airflow",
        "1.0",
        {"airflow": "linea_conflict_a"},
        {"linea_conflict_a": source.format(framework="AIRFLOW")},
    )
    site.install(
        "airflow-too",
        "0.5",
        {"airflow_too": "linea_conflict_b"},
        {"linea_conflict_b": source.format(framework="airflow")},
    )
    host = PluginHost.from_entry_points(site.group)
    with pytest.raises(PluginConflictError) as info:
        host.pipeline_writers()
    message = str(info.value)
    assert "'AIRFLOW'" in message
    assert "'airflow' (distribution linea-airflow 1.0)" in message
    assert "'airflow_too' (distribution airflow-too 0.5)" in message
    assert info.value.plugins == ("airflow", "airflow_too")
    # The other kinds keep working and the listing shows the conflict instead of raising.
    assert host.serializers() == []
    assert all(info.conflicts for info in host.plugins())


def test_one_plugin_registering_a_name_twice_is_a_conflict() -> None:
    with pytest.raises(
        PluginConflictError, match="'twice' registers the pipeline writer framework 'X' twice"
    ):
        PluginHost.from_modules(writers_plugin("twice", "X", "x")).pipeline_writers()


def test_two_distributions_using_one_plugin_name_keep_the_first(site: SitePackages) -> None:
    writer = """
        from linea_core.plugins import hookimpl
        class W:
            framework = "{framework}"
            def options_model(self):
                return None
            def render(self, pipeline, options):
                return []
        @hookimpl
        def linea_register_pipeline_writers(register):
            register(W())
    """
    site.install(
        "first-dist", "1", {"same": "linea_same_a"}, {"linea_same_a": writer.format(framework="A")}
    )
    site.install(
        "second-dist", "1", {"same": "linea_same_b"}, {"linea_same_b": writer.format(framework="B")}
    )
    with pytest.warns(LineaPluginWarning, match="already taken by 'same'"):
        host = PluginHost.from_entry_points(site.group)
    assert len(host.plugins()) == 2
    assert len(host.pipeline_writers()) == 1


def test_hook_wrappers_are_refused() -> None:
    @hookimpl(wrapper=True)
    def linea_register_serializers(register):
        return (yield)

    with pytest.warns(LineaPluginWarning, match="hook wrapper"):
        host = PluginHost.from_modules(
            make_plugin("wrapping", linea_register_serializers=linea_register_serializers),
            full_plugin("fine"),
        )
        assert [s.name for s in host.serializers()] == ["json"]


def commands_plugin(name: str, *commands: str, fail: bool = False):
    @hookimpl
    def linea_register_commands(cli):
        for command in commands:
            cli.add_command(click.Command(command, callback=lambda: click.echo("hi")))
        if fail:
            raise ValueError("half way")

    return make_plugin(name, linea_register_commands=linea_register_commands)


def test_add_commands_attributes_commands_and_isolates_failures() -> None:
    cli = click.Group("linea", commands=[click.Command("init")])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        host = PluginHost.from_modules(
            commands_plugin("adds", "toy"),
            commands_plugin("breaks", "partial", fail=True),
            commands_plugin("steals", "init", "own"),
        )
        host.add_commands(cli)
    assert set(cli.commands) == {"init", "toy", "own"}
    assert cli.commands["init"].callback is None  # linea's own command kept
    text = "\n".join(messages(record))
    assert "'breaks'" in text and "ValueError: half way" in text
    assert "'steals' adds the command 'linea init'" in text
    infos = {info.name: info for info in host.plugins()}
    assert infos["adds"].provides["commands"] == ("toy",)
    assert infos["steals"].provides["commands"] == ("own",)
    assert infos["steals"].conflicts and not infos["breaks"].ok


def test_registration_after_first_use_is_refused() -> None:
    host = PluginHost.from_modules(full_plugin("toy"))
    host.serializers()
    with pytest.raises(RuntimeError, match="before the host is first used"):
        host.register(writers_plugin("late", "LATE"))
