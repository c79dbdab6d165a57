"""People uploading files: stored, shared with a message, announced by the events the app subscribes to,
and served at url_private only to the bot token (anyone else gets Slack's sign-in page)."""
import json
import urllib.error
import urllib.request

import pytest
from slack_sdk.errors import SlackApiError

from bot.slackfake import FakeSlack, SlackPlatform
from bot.slackfake.errors import NotShown

SECRET = "test-signing-secret"
ALICE, BOB = "U0000001", "U0000002"


def get(url: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read()


def test_an_upload_in_a_channel_is_shared_announced_and_served_to_the_bot_only(fake, recorder_app, client):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    cid = client.conversations_create(name="case-7", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=cid, users=ALICE)
    file_id = platform.upload_file(ALICE, cid, "rows.csv", b"Date,Time\n2025,\n", title="Rows")
    message = fake.messages(cid)[-1]
    assert message.user == ALICE and message.subtype == "file_share" and message.files[0]["id"] == file_id
    events = [json.loads(body)["event"] for body, _ in recorder_app.received]
    assert [e["type"] for e in events] == ["message", "file_shared"]   # no manifest: every event is on
    assert events[0]["channel_type"] == "group" and events[1] == {
        "type": "file_shared", "channel_id": cid, "file_id": file_id, "user_id": ALICE, "file": {"id": file_id},
        "event_ts": message.ts}
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["size"], info["filetype"], info["user"]) == ("rows.csv", 16, "csv", ALICE)
    assert get(info["url_private"], fake.bot_token) == (200, "application/octet-stream", b"Date,Time\n2025,\n")
    status, content_type, body = get(info["url_private"])            # no token: the sign-in page, not the file
    assert status == 200 and content_type.startswith("text/html") and b"Sign in" in body
    assert get(info["url_private_download"], "xoxb-wrong")[1].startswith("text/html")


def test_the_bot_cannot_see_files_shared_where_it_is_not(fake, recorder_app, client):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    elsewhere = fake.add_channel("no-bot", is_private=True, members=[ALICE], bot_member=False)
    file_id = platform.upload_file(ALICE, elsewhere.id, "x.csv", b"a")
    assert recorder_app.received == []
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_info(file=file_id)
    with pytest.raises(NotShown):
        platform.upload_file(BOB, elsewhere.id, "x.csv", b"a")


def test_only_subscribed_events_are_sent(recorder_app, tmp_path):
    manifest = tmp_path / "manifest.yml"
    manifest.write_text("oauth_config: {scopes: {bot: [chat:write, files:read]}}\n"
                        "settings: {event_subscriptions: {bot_events: [file_shared]}, "
                        "interactivity: {is_enabled: true}}\n")
    with FakeSlack(manifest_path=str(manifest)) as fake:
        fake.add_user(ALICE, "alice")
        platform = SlackPlatform(fake, recorder_app.url, SECRET)
        platform.upload_file(ALICE, ALICE, "imr.docx", b"PK")          # the app's DM
        events = [json.loads(body)["event"]["type"] for body, _ in recorder_app.received]
        assert events == ["file_shared"]
        with pytest.raises(NotShown, match="message.im"):
            platform.user_message(ALICE, ALICE, "hello")


def test_nobody_can_upload_in_the_app_dm_when_the_manifest_makes_it_read_only(tmp_path, recorder_app):
    manifest = tmp_path / "manifest.yml"
    manifest.write_text("features:\n  app_home:\n    messages_tab_enabled: true\n"
                        "    messages_tab_read_only_enabled: true\n")
    with FakeSlack(manifest_path=str(manifest)) as ro:
        ro.add_user(ALICE, "alice")
        platform = SlackPlatform(ro, recorder_app.url, SECRET)
        with pytest.raises(NotShown, match="read-only"):
            platform.upload_file(ALICE, ALICE, "imr.docx", b"PK")
        with pytest.raises(NotShown, match="read-only"):
            platform.user_message(ALICE, ALICE, "hello")
        assert not ro.files


def test_our_manifest_lets_people_share_files_in_the_app_dm():
    from pathlib import Path

    from bot.slackfake.manifest import load_manifest
    config = load_manifest(Path(__file__).resolve().parents[2] / "manifest.yml")
    assert config.messages_tab_enabled and not config.messages_tab_read_only   # IMRs arrive in the DM


def test_a_bot_token_deletes_only_the_files_its_app_uploaded(fake, recorder_app, client):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    cid = client.conversations_create(name="case-8", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=cid, users=ALICE)
    theirs = platform.upload_file(ALICE, cid, "rows.csv", b"Date\n2025\n")
    with pytest.raises(SlackApiError, match="cant_delete_file"):
        client.files_delete(file=theirs)
    assert theirs in fake.files
    ours = client.files_upload_v2(channel=cid, content=b"x", filename="export.csv")["file"]["id"]
    assert client.files_delete(file=ours)["ok"] and ours not in fake.files
    assert fake.messages(cid)[-1].files == [{"id": ours, "mode": "tombstone"}]
    with pytest.raises(NotShown):
        platform.delete_file(BOB, theirs)                # a member deletes only their own files
    platform.delete_file(ALICE, theirs)
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_info(file=theirs)


def test_a_link_to_a_file_outside_slack_is_external_and_points_there(fake, recorder_app, client):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    file_id = platform.upload_file(ALICE, ALICE, "plan.docx", None, external_url="https://drive.example/d/1")
    info = client.files_info(file=file_id)["file"]
    assert (info["is_external"], info["mode"], info["external_type"]) == (True, "external", "gdrive")
    assert info["url_private"] == "https://drive.example/d/1" and "url_private_download" not in info


def test_url_private_can_be_made_to_redirect(fake, client):
    fake.redirect_file_downloads("http://127.0.0.1:9")
    try:
        url = f"{fake.root_url}/files-pri/{fake.team_id}-F1/x.csv"
        opener = urllib.request.build_opener(_NoRedirect())
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(url)
        assert answer.value.code == 302 and answer.value.headers["Location"] == f"http://127.0.0.1:9{url[len(fake.root_url):]}"
    finally:
        fake.redirect_file_downloads(None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
