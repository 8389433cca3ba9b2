"""The load of bench/deployed.py for locust (run in its own virtualenv and process, see bench/requirements.txt).

Each simulated person is one partner who is already signed in (their session
cookie comes from the file in ``SMS_BENCH_PEOPLE``, written by bench/deployed.py)
and reads their format page again and again, pausing 0.2-0.8 s. The path is the
person's own, or ``SMS_BENCH_PATH`` for every person (the bare view's "/").
"""

import itertools
import json
import os

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["SMS_BENCH_PEOPLE"]).read())  # noqa: SIM115, PTH123
NEXT = itertools.count()
PATH = os.environ.get("SMS_BENCH_PATH")


class Partner(HttpUser):
    wait_time = between(0.2, 0.8)

    def on_start(self):
        person = PEOPLE["people"][next(NEXT) % len(PEOPLE["people"])]
        # The server marks its cookies Secure; over plain local HTTP we send them ourselves.
        self.cookie = f"{PEOPLE['cookie_name']}={person['session']}"
        self.path = PATH or person["path"]

    @task
    def read_format(self):
        with self.client.get(
            self.path, headers={"Cookie": self.cookie}, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
