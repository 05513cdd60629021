"""Trains a tiny Keras classifier and writes TensorBoard event files for the tensorboard backend.

The run directory it writes (--logdir) looks like a real training run:

  train/       Keras' TensorBoard callback: epoch_loss, epoch_accuracy, epoch_learning_rate (TF2 tf.summary.scalar,
               tensor values) and weight histograms; a second file from our own writer: epoch_weight_norm
               (tf.summary.scalar), a text note and an image;
  validation/  Keras' TensorBoard callback: epoch_loss, epoch_accuracy;
  (root)       a TF1-style file written by tf.compat.v1.summary.FileWriter with simple_value scalars
               val_loss and val_accuracy, the way TF1 Keras wrote them, plus a TF1 histogram (Summary.Value.histo).

The histogram, text and image summaries are there to prove that readers skip what is not a scalar.
Deterministic for a given --seed on one machine (same data, same initial weights, single thread).

Usage: python train_tiny_keras.py --logdir DIR [--epochs N] [--seed S] [--samples N]
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", required=True, help="run directory to write event files into")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=256)
    return parser.parse_args()


def make_data(seed, samples):
    # Two noisy blobs: easy enough that accuracy climbs within a few epochs.
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=samples)
    centres = np.where(labels[:, None] == 1, 1.0, -1.0)
    features = (centres + rng.normal(0.0, 0.9, size=(samples, 4))).astype("float32")
    return features, labels.astype("float32")


class ExtraSummaries(tf.keras.callbacks.Callback):
    """Writes a weight-norm scalar plus text and image summaries into the train/ sub-run, in a file of its own."""

    def __init__(self, logdir):
        super().__init__()
        self.writer = tf.summary.create_file_writer(os.path.join(logdir, "train"), filename_suffix=".extra")

    def on_epoch_end(self, epoch, logs=None):
        weight_norm = tf.linalg.global_norm(self.model.trainable_weights)
        with self.writer.as_default(step=epoch):
            tf.summary.scalar("epoch_weight_norm", weight_norm)
            tf.summary.text("notes", "epoch %d done, loss %.4f" % (epoch, logs["loss"]))
            pixels = tf.cast(tf.reshape(tf.range(16) * (epoch + 1) % 256, [1, 4, 4, 1]), tf.uint8)
            tf.summary.image("pattern", pixels)
        self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.close()


def write_tf1_scalars(logdir, history):
    # TF1-style: graph-mode FileWriter and Summary protos with simple_value (what TF1 Keras wrote).
    with tf.Graph().as_default():
        writer = tf.compat.v1.summary.FileWriter(logdir)
        for epoch, (loss, accuracy) in enumerate(zip(history["val_loss"], history["val_accuracy"])):
            errors = tf.compat.v1.HistogramProto(min=0.0, max=loss, num=2, sum=loss, sum_squares=loss * loss,
                                                 bucket_limit=[loss], bucket=[2.0])
            summary = tf.compat.v1.Summary(value=[
                tf.compat.v1.Summary.Value(tag="val_loss", simple_value=loss),
                tf.compat.v1.Summary.Value(tag="val_accuracy", simple_value=accuracy),
                tf.compat.v1.Summary.Value(tag="val_errors", histo=errors),
            ])
            writer.add_summary(summary, global_step=epoch)
        writer.close()


def main():
    args = parse_args()
    tf.keras.utils.set_random_seed(args.seed)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    features, labels = make_data(args.seed, args.samples)
    split = args.samples * 3 // 4

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(4, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(
        features[:split], labels[:split], validation_data=(features[split:], labels[split:]),
        epochs=args.epochs, batch_size=32, verbose=0, shuffle=False,
        callbacks=[
            tf.keras.callbacks.TensorBoard(log_dir=args.logdir, histogram_freq=1, write_graph=False),
            ExtraSummaries(args.logdir),
        ])
    write_tf1_scalars(args.logdir, history.history)
    last = {name: round(float(values[-1]), 4) for name, values in history.history.items()}
    print("trained %d epochs: %s" % (args.epochs, last))


if __name__ == "__main__":
    main()
