"""linea plugin: the TOYFLOW pipeline writer, a JSON serializer and a command."""

import json

import click

from linea_core.plugins import hookimpl


class ToyflowWriter:
    framework = "TOYFLOW"

    def options_model(self):
        from pydantic import Field

        from linea_core.pipeline.options import WriterOptions

        class ToyflowOptions(WriterOptions):
            arrow: str = Field(default=" -> ", description="What joins the task names.")

        return ToyflowOptions

    def render(self, pipeline, options):
        from linea_core.pipeline import PipelineFile

        tasks = [task.name for task in pipeline.task_graph("artifact").tasks]
        text = "toyflow dag: " + options.arrow.join(tasks) + "\n"
        return [PipelineFile(pipeline.name + "_dag.txt", text, "DAG file")]


class ToyJsonSerializer:
    name = "toy-json"
    priority = 50

    def can_serialize(self, value):
        return isinstance(value, (dict, list, str, int, float, bool, type(None)))

    def dump(self, value, stream):
        stream.write(json.dumps(value).encode())

    def load(self, stream):
        return json.loads(stream.read())


@hookimpl
def linea_register_pipeline_writers(register):
    register(ToyflowWriter())


@hookimpl
def linea_register_serializers(register):
    register(ToyJsonSerializer())


@hookimpl
def linea_register_commands(cli):
    @cli.command("toyflow")
    @click.argument("who")
    def toyflow(who):
        """Greet from the toyflow plugin."""
        click.echo(f"toyflow says hello to {who}")
