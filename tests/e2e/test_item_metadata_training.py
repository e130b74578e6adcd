"""Items metadata in training, through the real boto3 clients: user-personalization places the
items with little history by the Items values they share with others. Two items that one user
had, and nobody else, are told apart by their genre alone: each fan's own genre comes first."""
import random

from tailor_e2e import INTERACTIONS_COLUMNS, ITEMS_SCHEMA, deploy, wait_gone

SMALL = {"hidden_dimension": "8", "iterations": "5"}


def test_items_with_little_history_are_placed_by_their_genre(server, pz, res):
    group, _, interactions = res.interactions_dataset()
    rng = random.Random(3)
    rows = []
    # Even users watch dramas d0..d9, odd users comedies c0..c9; "both" only rare-drama and
    # rare-comedy, which have no other user.
    for u in range(60):
        prefix = "d" if u % 2 == 0 else "c"
        for e in range(17):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"{prefix}{rng.randrange(10)}",
                         "TIMESTAMP": 1_700_000_000 + u * 100 + e, "EVENT_TYPE": "watch",
                         "EVENT_VALUE": "1"})
    for item in ("rare-drama", "rare-comedy"):
        rows.append({"USER_ID": "both", "ITEM_ID": item, "TIMESTAMP": 1_700_010_000,
                     "EVENT_TYPE": "watch", "EVENT_VALUE": "1"})
    res.import_rows(interactions, INTERACTIONS_COLUMNS, rows)
    items = res.dataset(group, res.schema(ITEMS_SCHEMA), "Items")
    genres = {f"d{k}": "Drama" for k in range(10)} | {f"c{k}": "Comedy" for k in range(10)}
    genres |= {"rare-drama": "Drama", "rare-comedy": "Comedy"}
    res.import_rows(items, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"],
                    [{"ITEM_ID": i, "GENRES": g, "CREATION_TIMESTAMP": 1_600_000_000}
                     for i, g in genres.items()])
    solution = res.solution(group, "aws-user-personalization",
                            solutionConfig={"algorithmHyperParameters": SMALL})
    version = res.solution_version(solution)["solutionVersionArn"]
    campaign = deploy(pz, version)
    runtime = server.client("personalize-runtime")
    try:
        for user in ("u0", "u1", "u2", "u3", "u4", "u5"):
            got = [i["itemId"] for i in runtime.get_recommendations(
                campaignArn=campaign, userId=user, numResults=25)["itemList"]]
            assert len(got) == 22, got
            own, other = ("rare-drama", "rare-comedy") if user in ("u0", "u2", "u4") else (
                "rare-comedy", "rare-drama")
            assert got.index(own) < got.index(other), (user, got)
    finally:
        pz.delete_campaign(campaignArn=campaign)
        wait_gone(lambda: pz.describe_campaign(campaignArn=campaign))
