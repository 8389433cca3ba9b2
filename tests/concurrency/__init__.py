"""Concurrency tests: people acting at the same moment, through real parallel connections.

Each test runs its actions in real threads. Django gives every thread its own
database connection, so the actions are separate transactions that really meet
in the database: on PostgreSQL the row locks decide who goes first, on SQLite
(a file database in WAL mode with IMMEDIATE transactions) the writers queue.
The same assertions hold on both, and CI runs them on both.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connections
from django.utils import translation

from sms_tool.errors import DomainError

START_TIMEOUT = 30  # seconds the threads wait for each other at the start line


@dataclass
class Outcome:
    """What one action ended with: its return value, or the refusal it raised."""

    value: object = None
    error: BaseException | None = None

    @property
    def succeeded(self):
        return self.error is None

    @property
    def refused(self):
        return isinstance(self.error, DomainError)


def run_at_once(*actions, delays=None):
    """Run each action in its own thread, all released together; return their outcomes.

    ``delays`` (seconds, one per action) hold an action back a little after the
    common start, to favour one ordering of the race without forcing it. Every
    thread reads messages in English and closes its database connection at the end,
    so PostgreSQL can drop the test database afterwards.
    """
    delays = delays or [0] * len(actions)
    start = threading.Barrier(len(actions), timeout=START_TIMEOUT)
    outcomes = [Outcome() for _ in actions]

    def run(index, action):
        try:
            with translation.override("en"):
                start.wait()
                if delays[index]:
                    time.sleep(delays[index])
                outcomes[index].value = action()
        except BaseException as error:  # the test inspects every outcome
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, action), name=f"person-{index}")
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an action never finished"
    unexpected = [o.error for o in outcomes if o.error is not None and not o.refused]
    if unexpected:
        raise unexpected[0]
    return outcomes


def split(outcomes):
    """The successful outcomes and the refused ones, in that order."""
    return (
        [o for o in outcomes if o.succeeded],
        [o for o in outcomes if o.refused],
    )
