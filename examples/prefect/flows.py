"""Example Prefect flows that the Gerrit ML Pipelines tests and demo run through the Prefect REST API.

Run with PREFECT_API_URL pointing at a Prefect server: ``python examples/prefect/flows.py``. It creates one
deployment per flow (named ``gerrit-ml``, e.g. ``train-model/gerrit-ml``) and serves them from this process until it
is stopped (SIGTERM/SIGINT).

- ``train-model``: succeeds; logs a few lines and creates a link artifact (the "model report").
- ``failing-flow``: fails with a clear message.
- ``sleeping-flow``: sleeps long enough to be cancelled (or for the server to be restarted under it); it ends early
  when the file named by ``until_file`` appears.
- ``typed-parameters``: takes typed parameters (int, float, bool, list, enum-like str, optional int) and logs them;
  Prefect enforces the parameter schema, so a wrong type is refused when the run is created.
"""

import os
import sys
import time
from typing import Literal, Optional

from prefect import flow, get_run_logger, serve
from prefect.artifacts import create_link_artifact

DEPLOYMENT = os.environ.get("GERRITML_PREFECT_DEPLOYMENT", "gerrit-ml")


@flow(name="train-model", log_prints=True)
def train_model(change: int = 0, patchset: int = 0, epochs: int = 2) -> dict:
    logger = get_run_logger()
    logger.info("training for change %s patch set %s", change, patchset)
    accuracy = 0.0
    for epoch in range(1, epochs + 1):
        accuracy = round(1.0 - 0.5 / epoch, 4)
        logger.info("epoch %d accuracy %.4f", epoch, accuracy)
    create_link_artifact(
        key="model-report",
        link=f"http://127.0.0.1/models/change-{change}/ps-{patchset}",
        link_text="model report",
        description="Where the trained model would be published",
    )
    logger.info("done: accuracy %.4f", accuracy)
    return {"accuracy": accuracy}


@flow(name="failing-flow")
def failing_flow(reason: str = "the data check failed") -> None:
    get_run_logger().info("about to fail")
    raise RuntimeError(reason)


@flow(name="sleeping-flow")
def sleeping_flow(seconds: float = 60.0, until_file: Optional[str] = None) -> None:
    """Sleeps ``seconds``, or less if ``until_file`` appears (tests use it to end the flow when they are ready)."""
    logger = get_run_logger()
    logger.info("sleeping %s s", seconds)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until_file and os.path.exists(until_file):
            logger.info("%s appeared", until_file)
            break
        time.sleep(0.2)
    logger.info("woke up")


@flow(name="typed-parameters")
def typed_parameters(
    learning_rate: float,
    epochs: int,
    layers: list[int],
    shuffle: bool = True,
    optimizer: Literal["adam", "sgd"] = "adam",
    seed: Optional[int] = None,
) -> dict:
    logger = get_run_logger()
    logger.info(
        "learning_rate=%r epochs=%r layers=%r shuffle=%r optimizer=%r seed=%r",
        learning_rate, epochs, layers, shuffle, optimizer, seed,
    )
    return {"learning_rate": learning_rate, "epochs": epochs, "layers": layers}


if __name__ == "__main__":
    limit = int(os.environ.get("GERRITML_PREFECT_RUN_LIMIT", "5"))
    print("serving example flows as */" + DEPLOYMENT, file=sys.stderr, flush=True)
    serve(
        train_model.to_deployment(DEPLOYMENT),
        failing_flow.to_deployment(DEPLOYMENT),
        sleeping_flow.to_deployment(DEPLOYMENT),
        typed_parameters.to_deployment(DEPLOYMENT),
        limit=limit,
        print_starting_message=False,
    )
