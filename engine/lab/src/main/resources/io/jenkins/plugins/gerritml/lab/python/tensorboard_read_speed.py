"""Times TensorBoard's own Python loaders on one event file, for EventReaderBench. Prints JSON.

loader:      event_file_loader.EventFileLoader(path).Load() -- TensorFlow's C++ record reader plus protobuf parsing
             and TensorBoard's compat migrations, taking each scalar's value as TensorBoard does
             (tensor_util.make_ndarray(...).item()): the least work a TensorBoard-based reader does.
accumulator: plugin_event_accumulator.EventAccumulator(dir).Reload() -- what the TensorBoard server runs, with its
             default reservoir sampling (keeps 1000 points per scalar tag).

Usage: python tensorboard_read_speed.py EVENT_FILE [--repeats N] [--skip-accumulator]
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from tensorboard.backend.event_processing import event_file_loader  # noqa: E402
from tensorboard.backend.event_processing import plugin_event_accumulator  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402


def time_loader(path):
    started = time.perf_counter()
    events = 0
    scalars = 0
    for event in event_file_loader.EventFileLoader(path).Load():
        events += 1
        for value in event.summary.value:
            if value.metadata.plugin_data.plugin_name == "scalars":
                tensor_util.make_ndarray(value.tensor).item()
                scalars += 1
    return time.perf_counter() - started, events, scalars


def time_accumulator(path):
    started = time.perf_counter()
    accumulator = plugin_event_accumulator.EventAccumulator(os.path.dirname(path))
    accumulator.Reload()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--skip-accumulator", action="store_true")
    args = parser.parse_args()
    loader = [time_loader(args.file) for _ in range(args.repeats)]
    result = {
        "loader_seconds": min(run[0] for run in loader),
        "events": loader[0][1],
        "scalars": loader[0][2],
    }
    if not args.skip_accumulator:
        result["accumulator_seconds"] = time_accumulator(args.file)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
