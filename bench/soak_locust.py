"""The mixed traffic of bench/soak.sh (issue #15), for Locust (bench/locust.txt).

bench/soak.sh sets the user up (a CSV, an image zip, a model with a configuration and a
training run going on) and passes what it made in SOAK_* variables. Every simulated user
is the same account (one person's browser tabs and scripts at once) and loops with no
wait over the tasks below, chosen by weight. A request counts as a success only with the
status the contract names for it (200, or 201 for an upload); anything else, a transport
error or a body that is not what the route answers, is a failure under the route's name.
When Locust has stopped every user (requests finished in its stop phase included), the
figures go to SOAK_STATS_JSON: per route the requests, failures, p50, p99 and req/s, the
failures by route and message, and the exceptions raised in the tasks.
"""

import json
import os
import random
from urllib.parse import quote

from locust import FastHttpUser, constant, events, task

TOKEN = os.environ["SOAK_TOKEN"]
CSV_ID = int(os.environ["SOAK_CSV_ID"])
CSV_ROWS = int(os.environ["SOAK_CSV_ROWS"])
ZIP_ID = int(os.environ["SOAK_ZIP_ID"])
MODEL_ID = int(os.environ["SOAK_MODEL_ID"])
MODEL_NAME = os.environ["SOAK_MODEL_NAME"]
RUN_ID = int(os.environ["SOAK_RUN_ID"])

# A few KB of text for the small uploads (deleted again right after).
SMALL_FILE = ("".join(f"line {i}: the quick brown fox\n" for i in range(160))).encode()

# The original service's example chain on every picture of the zip: a flip carried on,
# then two augmented copies of the flipped picture.
OPERATIONS = [
    {"operationName": "上下翻转", "overlap": True, "value1": None, "value2": None},
    {"operationName": "brightness", "overlap": False, "value1": 0.4, "value2": None},
    {"operationName": "median", "overlap": False, "value1": 3, "value2": 3},
]

LAYERS = quote(json.dumps([{"layer": "conv", "filter": [2, 2, 10]}, {"layer": "pool"}]))

# The latest training step any user saw, for `runtime?since=`.
latest_step = 0


environment = None


@events.init.add_listener
def keep_environment(environment, **_kwargs):
    globals()["environment"] = environment


@events.quit.add_listener
def write_figures(exit_code, **_kwargs):
    """Locust's own figures (its percentiles: 1 ms steps under 100 ms, 10 ms up to 1 s)."""
    stats = environment.stats

    def entry(name, method, e):
        return {
            "name": name,
            "method": method,
            "requests": e.num_requests,
            "failures": e.num_failures,
            "p50": e.get_response_time_percentile(0.5),
            "p99": e.get_response_time_percentile(0.99),
            "rps": e.total_rps,
        }

    routes = sorted((entry(name, method, e) for (name, method), e in stats.entries.items()), key=lambda r: r["name"])
    figures = {
        "exit_code": exit_code,
        "routes": routes,
        "total": entry("total", "", stats.total),
        "failures": [
            {"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
            for e in stats.errors.values()
        ],
        "exceptions": [{"count": e["count"], "message": e["msg"]} for e in environment.runner.exceptions.values()],
    }
    with open(os.environ["SOAK_STATS_JSON"], "w") as out:
        json.dump(figures, out, indent=1)


def check(response, expected, key=None):
    """Marks the response failed unless it has the expected status (and, when `key` is
    given, a JSON object body with that key). Returns the parsed body or None."""
    if response.status_code != expected:
        if response.status_code == 0:
            response.failure(f"transport error: {response.error!r}")
        else:
            text = (response.text or "")[:120].replace("\n", " ")
            response.failure(f"HTTP {response.status_code}: {text}")
        return None
    if key is None:
        response.success()
        return None
    try:
        body = response.json()
    except ValueError as error:
        response.failure(f"not JSON: {error}")
        return None
    if not isinstance(body, dict) or key not in body:
        response.failure(f"no {key!r} in the body")
        return None
    response.success()
    return body


class Person(FastHttpUser):
    wait_time = constant(0)
    # One keep-alive connection per simulated user: 64 users, 64 connections.
    concurrency = 1
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self):
        self.auth = {"Authorization": f"Token {TOKEN}"}

    def get(self, path, name, expected=200, key=None):
        with self.client.get(path, name=name, headers=self.auth, catch_response=True) as r:
            return check(r, expected, key)

    # Authenticated reads.
    @task(10)
    def user_details(self):
        self.get("/rest-auth/user/", "GET /rest-auth/user/", key="username")

    @task(5)
    def run_details(self):
        global latest_step
        body = self.get(f"/generation/run/details/?run_id={RUN_ID}", "GET /generation/run/details/", key="step")
        if body:
            latest_step = max(latest_step, body["step"])

    @task(3)
    def run_points(self):
        since = max(0, latest_step - 1000)
        self.get(f"/generation/run/runtime/?run_id={RUN_ID}&since={since}", "GET /generation/run/runtime/", key="points")

    # Listings.
    @task(5)
    def data_list(self):
        self.get("/data/list/", "GET /data/list/")

    @task(4)
    def models_list(self):
        self.get("/models/list/", "GET /models/list/")

    @task(3)
    def model_detail(self):
        # The model with its runs.
        self.get(f"/models/{MODEL_ID}/", "GET /models/{id}/", key="runs")

    @task(2)
    def model_names(self):
        self.get("/construct/config/", "GET /construct/config/")

    @task(1)
    def executor_nodes(self):
        # The executor's node with the unfinished runs as its pods.
        self.get("/runtime/kubernetes/", "GET /runtime/kubernetes/")

    # CSV previews: a page of 100 rows somewhere in the file.
    @task(5)
    def csv_page(self):
        offset = random.randrange(0, max(1, CSV_ROWS - 100))
        self.get(f"/data/{CSV_ID}/?offset={offset}&limit=100", "GET /data/{id}/?offset=&limit= (CSV)")

    # Option queries.
    @task(2)
    def options_list(self):
        self.get("/generation/options/list/", "GET /generation/options/list/", key="layers")

    @task(2)
    def options_next_model(self):
        self.get(f"/generation/options/next/?model={MODEL_NAME}", "GET /generation/options/next/?model=", key="options")

    @task(1)
    def options_next_layers(self):
        self.get(
            f"/generation/options/next/?layers={LAYERS}&input_shape=28x28x1",
            "GET /generation/options/next/?layers=",
            key="options",
        )

    @task(1)
    def operations_list(self):
        self.get("/preprocess/operations/list/", "GET /preprocess/operations/list/")

    # A small upload, deleted again.
    @task(2)
    def small_upload(self):
        with self.client.post(
            "/data/",
            name="POST /data/ (4 KB file)",
            headers=self.auth,
            data={"file_type": "single", "file_class": "doc"},
            files={"file": ("notes.txt", SMALL_FILE, "text/plain")},
            catch_response=True,
        ) as r:
            body = check(r, 201, "data_id")
        if body:
            self.delete(body["data_id"])

    # Preprocessing of the image zip; its result (a new upload) deleted again.
    @task(1)
    def preprocess(self):
        with self.client.post(
            "/preprocess/",
            name="POST /preprocess/",
            headers=self.auth,
            json={"dataId": ZIP_ID, "operations": OPERATIONS},
            catch_response=True,
        ) as r:
            body = check(r, 200, "data_id")
        if body:
            self.delete(body["data_id"])

    def delete(self, data_id):
        with self.client.delete(f"/data/{data_id}/", name="DELETE /data/{id}/", headers=self.auth, catch_response=True) as r:
            check(r, 200, "message")
