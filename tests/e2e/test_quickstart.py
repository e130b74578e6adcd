"""`tailor quickstart`, the README's main job: it imports a demo catalogue, trains the demo
solutions through the same calls as the API, prints their offline metrics, and leaves a data
folder that `tailor serve` brings back with every version ACTIVE."""
import subprocess

from tailor_e2e import make_client, tailor_bin


def test_quickstart_trains_and_a_server_restarts_on_its_folder(tmp_path, server_factory):
    data = tmp_path / "data"
    cmd = [str(tailor_bin()), "quickstart", "--data-dir", str(data), "--port", "0", "--no-serve",
           "--users", "300", "--items", "200", "--interactions", "6000", "--log-level", "warn"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Offline metrics" in out.stdout, out.stdout
    for recipe in ("aws-user-personalization", "aws-sims", "aws-popularity-count",
                   "aws-trending-now"):
        assert f"  {recipe} " in out.stdout, out.stdout
    assert "get_solution_metrics" in out.stdout
    # It ends with deployed campaigns and real answers from them.
    assert "Recommendations for user" in out.stdout, out.stdout
    recs = out.stdout.split("Recommendations for user", 1)[1].splitlines()[1:6]
    assert len(recs) == 5 and all(" score " in line for line in recs), out.stdout
    assert "Items similar to" in out.stdout and "get_recommendations(" in out.stdout
    trending = out.stdout.split("Trending now (campaign ", 1)[1].splitlines()[1].split()
    assert len(trending) == 5, out.stdout
    tracking_id = out.stdout.split("put_events(trackingId='", 1)[1].split("'", 1)[0]

    # A second run reuses what the first one made instead of training again.
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "Training tailor-demo" not in again.stdout, again.stdout

    srv = server_factory(data_dir=data)
    pz = make_client(srv.url)
    solutions = pz.list_solutions()["solutions"]
    assert len(solutions) == 4
    for s in solutions:
        versions = pz.list_solution_versions(solutionArn=s["solutionArn"])["solutionVersions"]
        assert [v["status"] for v in versions] == ["ACTIVE"]
        metrics = pz.get_solution_metrics(
            solutionVersionArn=versions[0]["solutionVersionArn"])["metrics"]
        assert 0 < metrics["coverage"] <= 1
    campaigns = pz.list_campaigns()["campaigns"]
    assert sorted(c["status"] for c in campaigns) == ["ACTIVE"] * 4
    runtime = make_client(srv.url, "personalize-runtime")
    user = out.stdout.split("Recommendations for user ", 1)[1].split()[0]
    up = [c["campaignArn"] for c in campaigns if c["campaignArn"].endswith("user-personalization")]
    items = runtime.get_recommendations(campaignArn=up[0], userId=user, numResults=5)["itemList"]
    assert [i["itemId"] for i in items] == [line.split()[0] for line in recs]
    trend = [c["campaignArn"] for c in campaigns if c["campaignArn"].endswith("trending-now")]
    assert [i["itemId"] for i in runtime.get_recommendations(
        campaignArn=trend[0], numResults=5)["itemList"]] == trending
    # The printed put_events works as printed: the tracker survived the restart.
    trackers = pz.list_event_trackers()["eventTrackers"]
    assert len(trackers) == 1
    make_client(srv.url, "personalize-events").put_events(
        trackingId=tracking_id, userId=user, sessionId="demo",
        eventList=[{"eventType": "click", "itemId": recs[-1].split()[0], "sentAt": 1_900_000_000}])
