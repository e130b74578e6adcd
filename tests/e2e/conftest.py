"""Fixtures for the end-to-end suite. See tailor_e2e.py for the helpers they use.

- `server`: one `tailor serve` for the whole session, on a temp data dir.
- `server_factory`: start extra servers (fresh or on a given data dir) for restart tests and for
  tests that need an empty account (quota-sensitive listings); all are stopped at teardown.
- `pz`: a boto3 `personalize` client for `server`, retries off so errors surface.
- `res`: a per-test resource factory (unique names) that deletes what it made afterwards.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from tailor_e2e import Resources, TailorServer  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("tailor-session")
    srv = TailorServer(base / "data", log_dir=base / "logs")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(tmp_path_factory):
    started = []

    def make(data_dir=None, start=True, extra_args=()):
        base = tmp_path_factory.mktemp("tailor-extra")
        srv = TailorServer(data_dir or base / "data", log_dir=base / "logs",
                           extra_args=extra_args)
        started.append(srv)
        if start:
            srv.start()
        return srv

    yield make
    for srv in started:
        srv.kill()


@pytest.fixture(scope="session")
def endpoint(server):
    return server.url


@pytest.fixture(scope="session")
def pz(server):
    return server.client("personalize")


@pytest.fixture
def res(pz, tmp_path):
    r = Resources(pz, tmp_path)
    yield r
    r.cleanup()


@pytest.fixture(autouse=True)
def _server_alive_check(request):
    """After each test using the shared server, fail loudly if the server died."""
    yield
    if "server" in request.fixturenames:
        srv = request.getfixturevalue("server")
        if srv.proc is not None and srv.proc.poll() is not None:
            pytest.fail(f"tailor serve exited with code {srv.proc.returncode} during the test; "
                        f"stderr:\n{srv.stderr()}", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the shared server's output to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and "server" in getattr(item, "fixturenames", ()):
        srv = item.funcargs.get("server")
        if isinstance(srv, TailorServer):
            report.sections.append(("tailor serve output (tail)", srv.logs()))
