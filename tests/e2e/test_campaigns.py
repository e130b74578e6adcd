"""Campaigns and the runtime through the real boto3 personalize-runtime client: deploy a trained
solution version, ask for recommendations (user-personalization, SIMS), re-rank a candidate
list, swap the version with UpdateCampaign, and get the runtime's error classes."""
import random

import pytest
from botocore.exceptions import ClientError

from tailor_e2e import Resources, deploy, unique_name, wait_for, write_rows_csv

RECIPE = "arn:aws:personalize:::recipe/"
SMALL = {"hidden_dimension": "8", "iterations": "3"}


def clustered_rows(users=60, events=20):
    """Even users click even items, odd users odd items."""
    rng = random.Random(3)
    rows = []
    for u in range(users):
        for e in range(events):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"i{2 * rng.randrange(30) + u % 2}",
                         "TIMESTAMP": str(1_700_000_000 + u * 1000 + e * 10),
                         "EVENT_TYPE": "click", "EVENT_VALUE": "1"})
    return rows


@pytest.fixture(scope="module")
def trained(server, tmp_path_factory):
    """One dataset group with clustered interactions and ACTIVE versions of three recipes."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("campaigns"))
    group, _, dataset = res.interactions_dataset()
    csv = res.csv_path("clustered")
    write_rows_csv(csv, ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"],
                   clustered_rows())
    res.import_and_wait(dataset, csv)
    versions = {}
    for recipe, params in (("aws-user-personalization", SMALL), ("aws-personalized-ranking", SMALL),
                           ("aws-sims", {})):
        solution = pz.create_solution(
            name=unique_name("sol"), datasetGroupArn=group, recipeArn=RECIPE + recipe,
            solutionConfig={"algorithmHyperParameters": params})["solutionArn"]
        wait_for(lambda: pz.describe_solution(solutionArn=solution), "solution")
        version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        wait_for(lambda: pz.describe_solution_version(solutionVersionArn=version),
                 "solutionVersion")
        versions[recipe] = (solution, version)
    return versions


def test_user_personalization_campaign_recommends_the_users_cluster(server, pz, trained):
    runtime = server.client("personalize-runtime")
    solution, version = trained["aws-user-personalization"]
    campaign = deploy(pz, version)
    described = pz.describe_campaign(campaignArn=campaign)["campaign"]
    assert described["solutionVersionArn"] == version
    assert described["status"] == "ACTIVE"
    assert campaign in [c["campaignArn"]
                        for c in pz.list_campaigns(solutionArn=solution)["campaigns"]]

    resp = runtime.get_recommendations(campaignArn=campaign, userId="u1", numResults=10)
    items = resp["itemList"]
    assert len(items) == 10
    assert resp["recommendationId"].startswith("RID-") and len(resp["recommendationId"]) <= 40
    assert sum(int(i["itemId"][1:]) % 2 for i in items) >= 8, items
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0 + 1e-6

    default = runtime.get_recommendations(campaignArn=campaign, userId="u2")
    assert len(default["itemList"]) == 25
    cold = runtime.get_recommendations(campaignArn=campaign, userId="never-seen", numResults=5)
    assert len(cold["itemList"]) == 5

    with pytest.raises(ClientError) as e:
        runtime.get_recommendations(campaignArn=campaign, userId="u1", numResults=501)
    assert e.value.response["Error"]["Code"] == "InvalidInputException"
    with pytest.raises(runtime.exceptions.ResourceNotFoundException) as e:
        runtime.get_recommendations(
            campaignArn="arn:aws:personalize:us-east-1:000000000000:campaign/nope", userId="u1")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(pz.exceptions.ResourceInUseException):
        pz.delete_solution(solutionArn=solution)


def test_ranking_and_sims_campaigns(server, pz, trained):
    runtime = server.client("personalize-runtime")
    rank_campaign = deploy(pz, trained["aws-personalized-ranking"][1])
    ranked = runtime.get_personalized_ranking(
        campaignArn=rank_campaign, userId="u0", inputList=["i1", "i2", "unknown", "i3", "i4"])
    order = [i["itemId"] for i in ranked["personalizedRanking"]]
    assert sorted(order) == sorted(["i1", "i2", "unknown", "i3", "i4"])
    assert int(order[0][1:]) % 2 == 0 and int(order[1][1:]) % 2 == 0, order
    assert order[-1] == "unknown" and "score" not in ranked["personalizedRanking"][-1]
    with pytest.raises(runtime.exceptions.InvalidInputException):
        runtime.get_recommendations(campaignArn=rank_campaign, userId="u0")

    sims_campaign = deploy(pz, trained["aws-sims"][1])
    similar = runtime.get_recommendations(campaignArn=sims_campaign, itemId="i2", numResults=5)
    assert similar["itemList"] and all("score" not in i for i in similar["itemList"])
    assert "i2" not in [i["itemId"] for i in similar["itemList"]]
    assert runtime.get_recommendations(campaignArn=sims_campaign, itemId="nope")["itemList"]


def test_update_campaign_swaps_the_version(server, pz, trained):
    runtime = server.client("personalize-runtime")
    solution, version = trained["aws-user-personalization"]
    campaign = deploy(pz, version)
    newer = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    wait_for(lambda: pz.describe_solution_version(solutionVersionArn=newer), "solutionVersion")
    pz.update_campaign(campaignArn=campaign, solutionVersionArn=newer)
    for _ in range(20):  # requests keep succeeding while the update is applied
        assert runtime.get_recommendations(campaignArn=campaign, userId="u3")["itemList"]
    wait_for(lambda: {"update": pz.describe_campaign(campaignArn=campaign)["campaign"][
        "latestCampaignUpdate"]}, "update")
    assert pz.describe_campaign(campaignArn=campaign)["campaign"]["solutionVersionArn"] == newer
    pz.delete_campaign(campaignArn=campaign)
