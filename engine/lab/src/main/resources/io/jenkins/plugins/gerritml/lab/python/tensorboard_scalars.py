"""Dumps the scalars of a TensorBoard run directory as TensorBoard itself reads them, as JSON on stdout.

Every directory holding event files is a run (TensorBoard's layout); each is loaded with TensorBoard's
plugin_event_accumulator.EventAccumulator (keeping all tensors), and the tags of the "scalars" plugin are written
as [step, wall_time, value] lists:  {"runs": {"train": {"epoch_loss": [[0, 1700000000.1, 0.57], ...]}, "": {...}}}
The run of files directly in the run directory is "". Floats are Python reprs, so they round-trip exactly.

Usage: python tensorboard_scalars.py RUN_DIR
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.backend.event_processing import io_wrapper  # noqa: E402
from tensorboard.backend.event_processing import plugin_event_accumulator  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402


def run_directories(root):
    for directory, _, files in os.walk(root):
        if any(io_wrapper.IsTensorFlowEventsFile(os.path.join(directory, name)) for name in files):
            relative = os.path.relpath(directory, root)
            yield ("" if relative == "." else relative.replace(os.sep, "/")), directory


def main(root):
    runs = {}
    for run, directory in sorted(run_directories(root)):
        accumulator = plugin_event_accumulator.EventAccumulator(
            directory, size_guidance={event_accumulator.TENSORS: 0})
        accumulator.Reload()
        tags = sorted(accumulator.PluginTagToContent("scalars"))
        runs[run] = {
            tag: [[event.step, event.wall_time, tensor_util.make_ndarray(event.tensor_proto).item()]
                  for event in accumulator.Tensors(tag)]
            for tag in tags
        }
    json.dump({"runs": runs}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
