"""Writes a large TensorBoard event file with real TensorFlow, for EventReaderBench.

A graph-mode loop (tf.function over tf.range) calls tf.summary.scalar for four tags per step, as a long training
run logging every step would, plus a 30-bucket tf.summary.histogram every 100 steps (skipped by scalar readers,
but read past). Stops once the file reaches --megabytes. Prints JSON: {"file": ..., "bytes": ..., "steps": ...}.

Usage: python write_scalar_events.py --logdir DIR [--megabytes 200]
"""
import argparse
import glob
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import tensorflow as tf  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logdir", required=True)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--chunk-steps", type=int, default=50000)
    args = parser.parse_args()
    target = args.megabytes * 1000 * 1000
    writer = tf.summary.create_file_writer(args.logdir, max_queue=10000, flush_millis=60000)

    @tf.function
    def write_steps(first, count):
        with writer.as_default():
            for i in tf.range(first, first + count):
                x = tf.cast(i, tf.float32)
                tf.summary.scalar("loss", 1.0 / (1.0 + 0.001 * x), step=i)
                tf.summary.scalar("accuracy", 1.0 - 0.5 / (1.0 + 0.001 * x), step=i)
                tf.summary.scalar("learning_rate", 0.001 * tf.math.exp(-1e-6 * x), step=i)
                tf.summary.scalar("gradient_norm", tf.math.abs(tf.math.sin(x)) + 0.1, step=i)
                if i % 100 == 0:
                    tf.summary.histogram("weights", tf.math.sin(tf.range(64, dtype=tf.float32) + x), step=i,
                                         buckets=30)

    steps = 0
    while True:
        write_steps(tf.constant(steps, tf.int64), tf.constant(args.chunk_steps, tf.int64))
        steps += args.chunk_steps
        writer.flush()
        path = glob.glob(os.path.join(args.logdir, "events.out.tfevents.*"))[0]
        if os.path.getsize(path) >= target:
            break
    writer.close()
    print(json.dumps({"file": path, "bytes": os.path.getsize(path), "steps": steps}))


if __name__ == "__main__":
    main()
