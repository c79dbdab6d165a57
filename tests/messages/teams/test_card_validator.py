"""The fake's card check refuses what Teams (or Microsoft's 1.5 schema) refuses."""
from bot.teamsfake.cards import validate_card


def card(*body, actions=None, **extra) -> dict:
    return {"type": "AdaptiveCard", "version": "1.5", "body": list(body), **({"actions": actions} if actions else {}),
            **extra}


def test_a_plain_card_with_teams_extensions_is_fine():
    ok = card({"type": "TextBlock", "text": "Hi <at>Ann</at>"},
              {"type": "Input.ChoiceSet", "id": "p", "choices": [],
               "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}},
              msteams={"width": "Full", "entities": [
                  {"type": "mention", "text": "<at>Ann</at>", "mentioned": {"id": "29:a", "name": "Ann"}}]})
    assert validate_card(ok) == []


def test_schema_breaches_are_named_where_they_are():
    bad = card({"type": "TextBlock", "txt": "x"}, {"type": "Container", "items": [{"type": "Bogus"}]},
               {"type": "Input.Text", "id": "a", "maxLength": "long"})
    assert validate_card(bad) == ["body/0: Additional properties are not allowed ('txt' was unexpected)",
                                  "body/1/items/0: 'Bogus' is not a type that belongs here",
                                  "body/2/maxLength: 'long' is not of type 'number'"]


def test_teams_rules_on_top_of_the_schema():
    execute = card({"type": "TextBlock", "text": "<at>Bob</at>"},
                   actions=[{"type": "Action.Execute", "title": "Agree"}, {"type": "Action.OpenUrl", "title": "Read",
                                                                          "url": "https://x.test"}])
    problems = validate_card(execute, dialog=True)
    assert "Action.Execute 'Agree' has no verb: Teams would never call the bot" in problems
    assert "Action.OpenUrl 'Read' in a dialog: only Action.Submit submits one" in problems
    assert "<at>Bob</at> has no mention entity, so Teams shows the tag as text" in problems
    assert validate_card(card(actions=[{"type": "Action.OpenUrl", "title": "Read", "url": "https://x.test"}])) == []
    huge = card({"type": "TextBlock", "text": "x" * 30_000})
    assert validate_card(huge)[0].startswith("the card is 300")
    picker = card({"type": "Input.ChoiceSet", "id": "p", "choices": [],
                   "choices.data": {"type": "Data.Query", "dataset": "example.com/everyone"}})
    assert validate_card(picker) == [
        "choices.data {'type': 'Data.Query', 'dataset': 'example.com/everyone'}: Teams searches only "
        "['graph.microsoft.com/users']"]
