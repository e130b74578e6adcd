"""Items and Users metadata in training, through the real boto3 clients: user-personalization
places the items and the users with little history by the categorical values they share with
others. Two items that one user had, and nobody else, are told apart by their genre alone; two
users with one and the same event, by their Users row alone."""
import random

import pytest

from tailor_e2e import (INTERACTIONS_COLUMNS, ITEMS_SCHEMA, USERS_SCHEMA, Resources, deploy,
                        wait_gone)

SMALL = {"hidden_dimension": "8", "iterations": "5"}


@pytest.fixture(scope="module")
def campaign(server, tmp_path_factory):
    """Even users watch dramas d0..d9, odd users comedies c0..c9, and every one of them
    "everyone"; "both" had only rare-drama and rare-comedy, which have no other user; new-f and
    new-m had only "everyone". Users rows: the drama watchers and new-f are F, the others M."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("metadata-training"))
    group, _, interactions = res.interactions_dataset()
    rng = random.Random(3)
    rows = []

    def add(user, item, ts):
        rows.append({"USER_ID": user, "ITEM_ID": item, "TIMESTAMP": ts, "EVENT_TYPE": "watch",
                     "EVENT_VALUE": "1"})

    for u in range(60):
        prefix = "d" if u % 2 == 0 else "c"
        add(f"u{u}", "everyone", 1_699_000_000 + u)
        for e in range(17):
            add(f"u{u}", f"{prefix}{rng.randrange(10)}", 1_700_000_000 + u * 100 + e)
    for item in ("rare-drama", "rare-comedy"):
        add("both", item, 1_700_010_000)
    for user in ("new-f", "new-m"):
        add(user, "everyone", 1_700_020_000)
    res.import_rows(interactions, INTERACTIONS_COLUMNS, rows)
    items = res.dataset(group, res.schema(ITEMS_SCHEMA), "Items")
    genres = {f"d{k}": "Drama" for k in range(10)} | {f"c{k}": "Comedy" for k in range(10)}
    genres |= {"rare-drama": "Drama", "rare-comedy": "Comedy", "everyone": "Documentary"}
    res.import_rows(items, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"],
                    [{"ITEM_ID": i, "GENRES": g, "CREATION_TIMESTAMP": 1_600_000_000}
                     for i, g in genres.items()])
    users = res.dataset(group, res.schema(USERS_SCHEMA), "Users")
    res.import_rows(users, ["USER_ID", "AGE", "GENDER"],
                    [{"USER_ID": f"u{u}", "AGE": 30, "GENDER": "F" if u % 2 == 0 else "M"}
                     for u in range(60)]
                    + [{"USER_ID": "new-f", "AGE": 30, "GENDER": "F"},
                       {"USER_ID": "new-m", "AGE": 30, "GENDER": "M"}])
    solution = res.solution(group, "aws-user-personalization",
                            solutionConfig={"algorithmHyperParameters": SMALL})
    version = res.solution_version(solution)["solutionVersionArn"]
    arn = deploy(pz, version)
    yield arn
    pz.delete_campaign(campaignArn=arn)
    wait_gone(lambda: pz.describe_campaign(campaignArn=arn))
    res.cleanup()


def answer(server, campaign, user):
    return [i["itemId"] for i in server.client("personalize-runtime").get_recommendations(
        campaignArn=campaign, userId=user, numResults=25)["itemList"]]


def test_items_with_little_history_are_placed_by_their_genre(server, campaign):
    for user in ("u0", "u1", "u2", "u3", "u4", "u5"):
        got = answer(server, campaign, user)
        assert len(got) == 23, got
        own, other = ("rare-drama", "rare-comedy") if user in ("u0", "u2", "u4") else (
            "rare-comedy", "rare-drama")
        assert got.index(own) < got.index(other), (user, got)


def test_users_with_little_history_are_placed_by_their_users_row(server, campaign):
    for user, prefix in (("new-f", "d"), ("new-m", "c")):
        got = [i for i in answer(server, campaign, user) if i[0] in "cd" and i[1:].isdigit()]
        assert len(got) == 20, got
        assert all(i.startswith(prefix) for i in got[:10]), (user, got)
