"""Shared helpers for the end-to-end suite: a `tailor serve` process wrapper, boto3 clients,
polling, error assertions, schemas and synthetic CSV writers.

Fixtures built on these live in conftest.py; tests import the plain helpers from here.
"""
import contextlib
import datetime
import http.client
import json
import os
import pathlib
import random
import re
import select
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "000000000000"
ARN_PREFIX = f"arn:aws:personalize:{REGION}:{ACCOUNT}:"
LISTENING_RE = re.compile(r"tailor: listening on (http://127\.0\.0\.1:(\d+))")

PENDING_STATES = ("CREATE PENDING", "CREATE IN_PROGRESS")


def tailor_bin() -> pathlib.Path:
    env = os.environ.get("TAILOR_BIN")
    return pathlib.Path(env) if env else REPO_ROOT / "build" / "src" / "cli" / "tailor"


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------
class TailorServer:
    """One `tailor serve --data-dir DIR --port 0` process. start()/stop() may be repeated on the
    same data dir (restart tests)."""

    def __init__(self, data_dir, log_dir=None, extra_args=()):
        self.data_dir = pathlib.Path(data_dir)
        self.log_dir = pathlib.Path(log_dir) if log_dir else self.data_dir.parent
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None
        self.port = None
        self.stdout_lines = []
        self._starts = 0
        self.stderr_path = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout=30.0):
        binary = tailor_bin()
        if not binary.exists():
            pytest.fail(f"tailor binary not found at {binary}; build the project first "
                        f"(or set TAILOR_BIN)", pytrace=False)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._starts += 1
        self.stderr_path = self.log_dir / f"tailor-stderr-{self._starts}.log"
        stderr_file = open(self.stderr_path, "wb")
        cmd = [str(binary), "serve", "--data-dir", str(self.data_dir), "--port", "0",
               *self.extra_args]
        self.stdout_lines = []
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=stderr_file, cwd=str(self.log_dir))
        stderr_file.close()
        ready = threading.Event()
        found = {}

        def pump(proc=self.proc, lines=self.stdout_lines):
            for raw in iter(proc.stdout.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\n")
                lines.append(line)
                m = LISTENING_RE.search(line)
                if m and not ready.is_set():
                    found["url"], found["port"] = m.group(1), int(m.group(2))
                    ready.set()
            ready.set()  # EOF: process exited or closed stdout

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout) or "url" not in found:
            rc = self.proc.poll()
            if rc is None:
                self.proc.kill()
                self.proc.wait(10)
            pytest.fail(
                f"tailor serve did not print 'tailor: listening on ...' within {timeout}s "
                f"(exit code {rc}).\ncommand: {' '.join(cmd)}\nstdout:\n"
                + "\n".join(self.stdout_lines) + "\nstderr:\n" + self.stderr(), pytrace=False)
        self.url, self.port = found["url"], found["port"]
        return self

    def stop(self, sig=signal.SIGTERM, timeout=30.0):
        """Sends `sig` and returns the exit code (None if it was not running)."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
                pytest.fail(f"tailor serve did not exit within {timeout}s of signal {sig}; "
                            f"killed.\nstderr:\n{self.stderr()}", pytrace=False)
        return proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    def restart(self, timeout=30.0):
        rc = self.stop()
        self.start(timeout)
        return rc

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr(self, tail=8000):
        try:
            return self.stderr_path.read_text("utf-8", "replace")[-tail:]
        except (OSError, AttributeError):
            return "<no stderr>"

    def logs(self, tail=3000):
        """The tail of what the server printed, stdout and stderr."""
        out = "\n".join(self.stdout_lines[-60:])[-tail:]
        return f"--- stdout ---\n{out}\n--- stderr ---\n{self.stderr(tail)}"

    # -- clients -----------------------------------------------------------------------------
    def client(self, service="personalize", region=REGION):
        return make_client(self.url, service, region)


def make_client(url, service="personalize", region=REGION):
    return boto3.session.Session().client(
        service, endpoint_url=url, region_name=region,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=10, read_timeout=60))


# --------------------------------------------------------------------------------------------
# Names, polling, errors
# --------------------------------------------------------------------------------------------
def unique_name(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def wait_for(describe_fn, key, target="ACTIVE", timeout=60.0, expect_failure=False):
    """Polls describe_fn()[key]["status"] until it equals `target` and returns that object.
    Fails loudly when the resource lands in CREATE FAILED (unless target is CREATE FAILED or
    expect_failure) or in ACTIVE while CREATE FAILED was the target."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    seen = []
    while True:
        obj = describe_fn()[key]
        status = obj.get("status")
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == target:
            return obj
        if status == "CREATE FAILED" and not expect_failure:
            pytest.fail(f"{key} went CREATE FAILED while waiting for {target!r}: "
                        f"failureReason={obj.get('failureReason')!r}; object={obj}",
                        pytrace=False)
        if target == "CREATE FAILED" and status == "ACTIVE":
            pytest.fail(f"{key} went ACTIVE but CREATE FAILED was expected; object={obj}",
                        pytrace=False)
        if expect_failure and status in ("ACTIVE", "CREATE FAILED"):
            return obj
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {key} status {target!r}; "
                        f"statuses seen {seen}; last object={obj}", pytrace=False)
        time.sleep(delay)
        delay = min(delay * 1.5, 0.3)


def wait_done(describe_fn, key, timeout=60.0):
    """Waits until status is ACTIVE or CREATE FAILED and returns the object."""
    return wait_for(describe_fn, key, "ACTIVE", timeout, expect_failure=True)


def wait_gone(describe_fn, timeout=60.0):
    """Polls until describe_fn raises ResourceNotFoundException."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    last = None
    while True:
        try:
            last = describe_fn()
        except ClientError as e:
            code = e.response["Error"]["Code"]
            if code == "ResourceNotFoundException":
                return
            raise
        if time.monotonic() > deadline:
            pytest.fail(f"resource still present {timeout}s after delete: {last}", pytrace=False)
        time.sleep(delay)
        delay = min(delay * 1.5, 0.3)


@contextlib.contextmanager
def expect_error(client, code, *substrings, status=400):
    """Asserts the block raises the modeled botocore exception `code` with an HTTP `status`
    and a message containing every substring (case-insensitive)."""
    with pytest.raises(ClientError) as info:
        yield info
    err = info.value.response.get("Error", {})
    assert err.get("Code") == code, (
        f"expected {code}, got {err.get('Code')}: {err.get('Message')!r}")
    exc_class = getattr(client.exceptions, code, None)
    if exc_class is not None:
        assert isinstance(info.value, exc_class), type(info.value)
    msg = err.get("Message") or ""
    assert msg, f"{code} without a message: {info.value.response}"
    for s in substrings:
        assert s.lower() in msg.lower(), f"{code} message {msg!r} does not mention {s!r}"
    if status is not None:
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status, (
            info.value.response["ResponseMetadata"])


def error_code(exc):
    return exc.response.get("Error", {}).get("Code")


def assert_datetime(value, what="timestamp"):
    assert isinstance(value, datetime.datetime), f"{what} is {type(value)}: {value!r}"
    assert value.tzinfo is not None, f"{what} has no tzinfo: {value!r}"
    now = datetime.datetime.now(datetime.timezone.utc)
    # Sanity window: not before 2020 and not in the future by more than a few minutes.
    assert datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) < value, value
    assert value < now + datetime.timedelta(minutes=5), f"{what} in the future: {value}"


def arn(suffix):
    return ARN_PREFIX + suffix


def no_metadata(resp):
    """The response without ResponseMetadata: what the operation actually returned."""
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def list_all(client, method, key, page_size=None, **kwargs):
    """Follows nextToken by hand; returns (items, pages)."""
    items, pages = [], []
    token = None
    for _ in range(10000):
        args = dict(kwargs)
        if page_size:
            args["maxResults"] = page_size
        if token:
            args["nextToken"] = token
        resp = getattr(client, method)(**args)
        page = resp[key]
        pages.append(page)
        items.extend(page)
        token = resp.get("nextToken")
        if not token:
            return items, pages
    raise AssertionError("pagination did not terminate")


# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------
def avro(name, fields):
    return json.dumps({"type": "record", "name": name,
                       "namespace": "com.amazonaws.personalize.schema",
                       "fields": fields, "version": "1.0"})


INTERACTIONS_SCHEMA = avro("Interactions", [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"},
    {"name": "EVENT_TYPE", "type": "string"},
    {"name": "EVENT_VALUE", "type": ["float", "null"]},
])

ITEMS_SCHEMA = avro("Items", [
    {"name": "ITEM_ID", "type": "string"},
    {"name": "GENRES", "type": ["string", "null"], "categorical": True},
    {"name": "CREATION_TIMESTAMP", "type": "long"},
])

USERS_SCHEMA = avro("Users", [
    {"name": "USER_ID", "type": "string"},
    {"name": "AGE", "type": ["int", "null"]},
    {"name": "GENDER", "type": "string", "categorical": True},
])

INTERACTIONS_COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"]


# --------------------------------------------------------------------------------------------
# Synthetic CSVs
# --------------------------------------------------------------------------------------------
def interaction_rows(n, users=60, items=120, seed=7, start_ts=1_600_000_000):
    rng = random.Random(seed)
    events = ["click", "watch", "purchase"]
    rows = []
    for i in range(n):
        rows.append({
            "USER_ID": f"u{rng.randrange(users)}",
            "ITEM_ID": f"i{rng.randrange(items)}",
            "TIMESTAMP": str(start_ts + i * 60),
            "EVENT_TYPE": events[rng.randrange(len(events))],
            "EVENT_VALUE": f"{rng.random() * 5:.2f}",
        })
    return rows


def write_rows_csv(path, columns, rows):
    """Writes rows (dicts) with plain comma joining; values must not need quoting."""
    path = pathlib.Path(path)
    lines = [",".join(columns)]
    for r in rows:
        lines.append(",".join(str(r.get(c, "")) for c in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_interactions_csv(path, n=1000, columns=INTERACTIONS_COLUMNS, seed=7,
                           start_ts=1_600_000_000):
    """N data rows (the header is line 1, data row i is line i+2)."""
    return write_rows_csv(path, columns, interaction_rows(n, seed=seed, start_ts=start_ts))


def write_items_csv(path, n=120):
    genres = ["Action", "Comedy", "Drama", "Horror", "Romance"]
    rows = [{"ITEM_ID": f"i{i}", "GENRES": f"{genres[i % 5]}|{genres[(i * 3 + 1) % 5]}",
             "CREATION_TIMESTAMP": str(1_500_000_000 + i * 3600)} for i in range(n)]
    return write_rows_csv(path, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"], rows)


def write_users_csv(path, n=60):
    rows = [{"USER_ID": f"u{i}", "AGE": str(18 + i % 50), "GENDER": "F" if i % 2 else "M"}
            for i in range(n)]
    return write_rows_csv(path, ["USER_ID", "AGE", "GENDER"], rows)


def deploy(pz, version, **kwargs):
    """CreateCampaign for a solution version (kwargs: campaignConfig...); waits for ACTIVE."""
    campaign = pz.create_campaign(name=unique_name("cmp"), solutionVersionArn=version,
                                  minProvisionedTPS=1, **kwargs)["campaignArn"]
    wait_for(lambda: pz.describe_campaign(campaignArn=campaign), "campaign")
    return campaign


# --------------------------------------------------------------------------------------------
# Resource factory with cleanup
# --------------------------------------------------------------------------------------------
class Resources:
    """Creates resources with unique names and deletes them afterwards (best effort)."""

    def __init__(self, pz, tmp_dir):
        self.pz = pz
        self.tmp_dir = pathlib.Path(tmp_dir)
        self.groups, self.schemas, self.datasets = [], [], []
        self.solutions = []

    def dataset_group(self, name=None, wait=True, **kwargs):
        name = name or unique_name("dg")
        resp = self.pz.create_dataset_group(name=name, **kwargs)
        group_arn = resp["datasetGroupArn"]
        self.groups.append(group_arn)
        if wait:
            wait_for(lambda: self.pz.describe_dataset_group(datasetGroupArn=group_arn),
                     "datasetGroup")
        return group_arn

    def schema(self, body=INTERACTIONS_SCHEMA, name=None, **kwargs):
        name = name or unique_name("sc")
        schema_arn = self.pz.create_schema(name=name, schema=body, **kwargs)["schemaArn"]
        self.schemas.append(schema_arn)
        return schema_arn

    def dataset(self, group_arn, schema_arn, dataset_type="Interactions", name=None, wait=True,
                **kwargs):
        name = name or unique_name("ds")
        ds_arn = self.pz.create_dataset(name=name, schemaArn=schema_arn,
                                        datasetGroupArn=group_arn, datasetType=dataset_type,
                                        **kwargs)["datasetArn"]
        self.datasets.append(ds_arn)
        if wait:
            wait_for(lambda: self.pz.describe_dataset(datasetArn=ds_arn), "dataset")
        return ds_arn

    def interactions_dataset(self):
        """An ACTIVE group with an ACTIVE Interactions dataset: (group, schema, dataset)."""
        group_arn = self.dataset_group()
        schema_arn = self.schema(INTERACTIONS_SCHEMA)
        ds_arn = self.dataset(group_arn, schema_arn, "Interactions")
        return group_arn, schema_arn, ds_arn

    def start_import(self, ds_arn, location, mode=None, name=None, **kwargs):
        name = name or unique_name("imp")
        if mode:
            kwargs["importMode"] = mode
        return self.pz.create_dataset_import_job(
            jobName=name, datasetArn=ds_arn, dataSource={"dataLocation": str(location)},
            **kwargs)["datasetImportJobArn"]

    def import_and_wait(self, ds_arn, location, mode=None, name=None, expect_failure=False,
                        **kwargs):
        job_arn = self.start_import(ds_arn, location, mode, name, **kwargs)
        return wait_for(lambda: self.pz.describe_dataset_import_job(datasetImportJobArn=job_arn),
                        "datasetImportJob", "CREATE FAILED" if expect_failure else "ACTIVE")

    def solution(self, group_arn, recipe="aws-user-personalization", name=None, wait=True,
                 **kwargs):
        """CreateSolution (recipe: a bare recipe name, or None for AutoML); waits for ACTIVE."""
        name = name or unique_name("sol")
        if recipe:
            kwargs["recipeArn"] = recipe_arn(recipe)
        sol_arn = self.pz.create_solution(name=name, datasetGroupArn=group_arn,
                                          **kwargs)["solutionArn"]
        self.solutions.append(sol_arn)
        if wait:
            wait_for(lambda: self.pz.describe_solution(solutionArn=sol_arn), "solution")
        return sol_arn

    def solution_version(self, solution_arn, wait="ACTIVE", timeout=60.0, **kwargs):
        """CreateSolutionVersion; waits for `wait` ("ACTIVE", "CREATE FAILED", "done" = either,
        or None) and returns the version object (or the ARN when not waiting)."""
        ver_arn = self.pz.create_solution_version(solutionArn=solution_arn,
                                                  **kwargs)["solutionVersionArn"]
        if wait is None:
            return ver_arn
        return wait_solution_version(self.pz, ver_arn, wait, timeout)

    def import_rows(self, ds_arn, columns, rows, stem="rows", **kwargs):
        """Writes `rows` (dicts) as a CSV of `columns` and imports it; waits for ACTIVE."""
        csv = self.csv_path(stem)
        write_rows_csv(csv, columns, rows)
        return self.import_and_wait(ds_arn, csv, **kwargs)

    def csv_path(self, stem):
        return self.tmp_dir / f"{stem}-{uuid.uuid4().hex[:8]}.csv"

    def cleanup(self):
        """Deletes datasets, then groups, then schemas. Best effort: never raises. Waits for
        each resource to settle first (a resource still being created cannot be deleted)."""
        pz = self.pz
        quiet = contextlib.suppress(Exception, pytest.fail.Exception)

        def settle_and_delete(describe, key, delete):
            with quiet:
                deadline = time.monotonic() + 20
                while (describe()[key]["status"] in PENDING_STATES
                       and time.monotonic() < deadline):
                    time.sleep(0.05)
            with quiet:
                delete()

        for sol in reversed(self.solutions):
            with quiet:
                stop_solution_training(pz, sol)
            settle_and_delete(lambda: pz.describe_solution(solutionArn=sol), "solution",
                              lambda: pz.delete_solution(solutionArn=sol))
        for sol in reversed(self.solutions):
            with quiet:
                wait_gone(lambda: pz.describe_solution(solutionArn=sol), timeout=20)
        for ds in reversed(self.datasets):
            settle_and_delete(lambda: pz.describe_dataset(datasetArn=ds), "dataset",
                              lambda: pz.delete_dataset(datasetArn=ds))
        for ds in reversed(self.datasets):
            with quiet:
                wait_gone(lambda: pz.describe_dataset(datasetArn=ds), timeout=20)
        for g in reversed(self.groups):
            settle_and_delete(lambda: pz.describe_dataset_group(datasetGroupArn=g),
                              "datasetGroup",
                              lambda: pz.delete_dataset_group(datasetGroupArn=g))
        for g in reversed(self.groups):
            with quiet:
                wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=g), timeout=20)
        for s in reversed(self.schemas):
            with quiet:
                pz.delete_schema(schemaArn=s)
        self.groups, self.schemas, self.datasets = [], [], []
        self.solutions = []


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------
RECIPE_PREFIX = "arn:aws:personalize:::recipe/"
TRAINING_STATES = ("CREATE PENDING", "CREATE IN_PROGRESS", "CREATE STOPPING")
VERSION_END_STATES = ("ACTIVE", "CREATE FAILED", "CREATE STOPPED")
METRIC_NAMES = {
    "coverage", "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5", "precision_at_10", "precision_at_25",
}


def recipe_arn(name):
    return name if name.startswith("arn:") else RECIPE_PREFIX + name


def wait_solution_version(pz, version_arn, target="ACTIVE", timeout=60.0):
    """Polls DescribeSolutionVersion until the training ends. target "ACTIVE" or "CREATE FAILED"
    fails loudly on any other end state; "done" returns whatever it ended as."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    seen = []
    while True:
        obj = pz.describe_solution_version(solutionVersionArn=version_arn)["solutionVersion"]
        status = obj["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in VERSION_END_STATES:
            if target not in ("done", status):
                pytest.fail(f"solution version ended {status!r}, not {target!r}: "
                            f"failureReason={obj.get('failureReason')!r}; statuses seen {seen}; "
                            f"object={obj}", pytrace=False)
            return obj
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for the solution version to end; "
                        f"statuses seen {seen}; last object={obj}", pytrace=False)
        time.sleep(delay)
        delay = min(delay * 1.5, 0.3)


def stop_solution_training(pz, solution_arn, timeout=20.0):
    """Stops every version of the solution still in training and waits until none is."""
    versions = pz.list_solution_versions(solutionArn=solution_arn)["solutionVersions"]
    for v in versions:
        if v["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS"):
            with contextlib.suppress(ClientError):
                pz.stop_solution_version_creation(solutionVersionArn=v["solutionVersionArn"])
    for v in versions:
        if v["status"] in TRAINING_STATES:
            wait_solution_version(pz, v["solutionVersionArn"], "done", timeout)


def clustered_interaction_rows(users=80, items=40, per_user=20, own_share=0.85, seed=11,
                               start_ts=1_650_000_000):
    """Interactions with real structure: users and items fall into two clusters (by parity), and
    each user interacts with `per_user` distinct items, about `own_share` of them from their own
    cluster, in random order. EVENT_TYPE is "click" (3 in 4) or "purchase"; EVENT_VALUE is
    uniform in [0, 5)."""
    rng = random.Random(seed)
    rows = []
    for u in range(users):
        own = [i for i in range(items) if i % 2 == u % 2]
        other = [i for i in range(items) if i % 2 != u % 2]
        n_own = min(len(own), round(per_user * own_share))
        chosen = rng.sample(own, n_own) + rng.sample(other, per_user - n_own)
        rng.shuffle(chosen)
        for k, i in enumerate(chosen):
            rows.append({
                "USER_ID": f"u{u}",
                "ITEM_ID": f"i{i}",
                "TIMESTAMP": str(start_ts + u * 10_000 + k * 60),
                "EVENT_TYPE": "purchase" if rng.random() < 0.25 else "click",
                "EVENT_VALUE": f"{rng.random() * 5:.2f}",
            })
    return rows


def write_clustered_csv(path, **kwargs):
    return write_rows_csv(path, INTERACTIONS_COLUMNS, clustered_interaction_rows(**kwargs))


# --------------------------------------------------------------------------------------------
# Raw HTTP
# --------------------------------------------------------------------------------------------
def raw_request(url, method="POST", path="/", body=b"", headers=None, timeout=30):
    """One plain HTTP request (no signing). Returns (status, headers dict lowercased, body)."""
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def raw_target_request(url, target, body, content_type="application/x-amz-json-1.1"):
    if isinstance(body, str):
        body = body.encode()
    return raw_request(url, body=body, headers={
        "Content-Type": content_type,
        "X-Amz-Target": target,
        "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
    })


def raw_oversize_request(url, target, body_size, timeout=30):
    """Sends a POST declaring a `body_size` body and streams it in chunks, stopping early if
    the server answers first (servers may reject on Content-Length). Returns
    (status, headers, body)."""
    u = urllib.parse.urlparse(url)
    sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
    try:
        head = (f"POST / HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                f"Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: {target}\r\n"
                f"Content-Length: {body_size}\r\n\r\n").encode()
        sock.sendall(head)
        prefix = b'{"nextToken":"'
        suffix = b'"}'
        body_iter_size = body_size
        chunk = b"A" * 65536
        sent = 0
        received = b""
        sock.setblocking(False)
        pieces = [prefix]
        while sent < body_iter_size:
            r, w, _ = select.select([sock], [sock], [], timeout)
            if r:
                break  # server answered early
            if not w:
                raise TimeoutError("socket not writable")
            if not pieces:
                remaining = body_iter_size - sent
                if remaining <= len(suffix):
                    pieces.append(suffix[len(suffix) - remaining:])
                else:
                    pieces.append(chunk[:min(len(chunk), remaining - len(suffix))])
            data = pieces.pop(0)
            try:
                n = sock.send(data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += n
            if n < len(data):
                pieces.insert(0, data[n:])
        sock.setblocking(True)
        sock.settimeout(timeout)
        try:
            while True:
                part = sock.recv(65536)
                if not part:
                    break
                received += part
                if _complete_http_response(received):
                    break
        except ConnectionResetError:
            if not received:
                raise
        return _parse_http_response(received)
    finally:
        sock.close()


def _complete_http_response(data):
    if b"\r\n\r\n" not in data:
        return False
    head, body = data.split(b"\r\n\r\n", 1)
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


def _parse_http_response(data):
    assert data, "server closed the connection without a response"
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return status, headers, body
