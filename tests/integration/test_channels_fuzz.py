"""The two webhooks against malformed and random input: never a server error, and the server stays up."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.signature import sign
from tests.fakes.graph_api import ANY_JSON, META_SHAPED_JSON, FakeGraphAPI, MetaWebhooks

CHANNELS = st.sampled_from(["messenger", "whatsapp"])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def post(url: str, raw: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def real_looking(webhooks: MetaWebhooks) -> st.SearchStrategy:
    """Genuine envelopes around random text, ids and timestamps."""
    ids = st.text(min_size=1, max_size=30)
    return st.one_of(
        st.builds(lambda sender, text: webhooks.messenger_text(sender, text), ids, st.text(max_size=300)),
        st.builds(lambda sender, text, stamp: webhooks.whatsapp(sender, {"type": "text", "text": {"body": text},
                                                                          "timestamp": stamp}),
                  ids, st.text(max_size=300), st.one_of(st.text(max_size=12), st.integers(), st.floats())),
    )


@pytest.fixture(scope="module")
def webhook(stack):
    return lambda channel: f"{stack.rasa_url}/webhooks/{channel}/webhook"


@FUZZ
@given(data=st.data(), channel=CHANNELS)
def test_signed_random_json_is_never_a_server_error(webhook, graph_api: FakeGraphAPI, data, channel):
    payload = data.draw(ANY_JSON | META_SHAPED_JSON | real_looking(graph_api.webhooks))
    raw, headers = graph_api.webhooks.signed(payload)
    assert post(webhook(channel), raw, headers) in (200, 400)


@FUZZ
@given(raw=st.binary(max_size=2000), channel=CHANNELS, signed=st.booleans(),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
def test_random_bytes_are_refused_without_a_server_error(webhook, graph_api, raw, channel, signed, content_type):
    signature = sign(raw, graph_api.app_secret) if signed else sign(raw, "not-the-secret")
    status = post(webhook(channel), raw, {"Content-Type": content_type, "X-Hub-Signature-256": signature})
    assert status in ((200, 400) if signed else (403,))


@FUZZ
@given(signature=st.text(st.characters(min_codepoint=32, max_codepoint=255, blacklist_characters="\x7f"), max_size=80)
       | st.just("sha256=") | st.text("0123456789abcdef", min_size=64, max_size=64).map("sha256=".__add__),
       channel=CHANNELS)
def test_odd_signature_headers_are_refused(webhook, graph_api, signature, channel):
    raw, headers = graph_api.webhooks.signed({"object": "page", "entry": []})
    headers["X-Hub-Signature-256"] = signature
    assert post(webhook(channel), raw, headers) == 403


async def test_after_fuzzing_the_server_is_up_and_answers(stack, graph_api):
    with urllib.request.urlopen(f"{stack.rasa_url}/webhooks/whatsapp/", timeout=10) as health:
        assert health.status == 200
    wa_id = "4791234567"
    raw, headers = graph_api.webhooks.signed(graph_api.webhooks.whatsapp_text(wa_id, "betalingsmåter?"))
    before = len(graph_api.delivered(wa_id))
    assert post(f"{stack.rasa_url}/webhooks/whatsapp/webhook", raw, headers) == 200
    await graph_api.delivered_count(wa_id, before + 1)
