"""The JSON client against a real local server: retries, deadline, error mapping, logging without personal data."""
import logging
import time

import pytest
from aiohttp import web

from bot.orders.http import JsonClient, RetryPolicy, next_link, retry_after, safe_url
from bot.orders.system import (OrderSystemAuthError, OrderSystemBadResponse, OrderSystemRejected,
                               OrderSystemUnavailable)
from tests.fakes.harness import Faults, serve

FAST = RetryPolicy(deadline=1.5, attempt_timeout=0.5, attempts=4, backoff=0.01, max_backoff=0.05)


def echo_app() -> web.Application:
    async def order(request: web.Request) -> web.Response:
        return web.json_response({"number": request.match_info["number"], "query": dict(request.query)},
                                 headers={"Link": '<http://x/p?page_info=abc>; rel="next"'})

    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"error": "window_expired"}, status=409)

    async def bad_request(request: web.Request) -> web.Response:
        return web.json_response({"error": "nope"}, status=400)

    app = web.Application()
    app.router.add_get("/orders/{number}", order)
    app.router.add_post("/refuse", refuse)
    app.router.add_get("/bad", bad_request)
    return app


@pytest.fixture
async def server():
    faults = Faults()
    async with serve(echo_app(), faults) as url:
        yield url, faults


@pytest.fixture
async def client():
    client = JsonClient("test shop", policy=FAST)
    yield client
    await client.close()


async def test_json_and_headers(server, client):
    url, faults = server
    response = await client.get(f"{url}/orders/10482", {"email": "ola@example.com"})
    assert response.data == {"number": "10482", "query": {"email": "ola@example.com"}}
    assert next_link(response.headers) == "http://x/p?page_info=abc"


async def test_not_found_is_none(server, client):
    url, _ = server
    assert await client.get(f"{url}/nothing/here") is None


async def test_429_waits_retry_after_then_succeeds_with_one_more_request(server, client):
    url, faults = server
    faults.retry_after = "0.3"
    faults.next("429")
    started = time.monotonic()
    assert (await client.get(f"{url}/orders/1"))
    assert time.monotonic() - started >= 0.3
    assert faults.requests == 2


async def test_a_retry_after_beyond_the_deadline_fails_at_once(server, client):
    url, faults = server
    faults.retry_after = "30"
    faults.next("429")
    with pytest.raises(OrderSystemUnavailable):
        await client.get(f"{url}/orders/1")
    assert faults.requests == 1  # no waiting for a retry that could not finish in time


async def test_5xx_and_slow_answers_are_retried(server, client):
    url, faults = server
    faults.next("500")
    faults.next("slow")
    assert (await client.get(f"{url}/orders/1")).data["number"] == "1"
    assert faults.requests == 3


async def test_persistent_failure_stops_at_the_deadline(server):
    url, faults = server
    faults.next("slow", times=10)
    client = JsonClient("test shop", policy=RetryPolicy(deadline=0.8, attempt_timeout=0.3, attempts=10, backoff=0.01))
    started = time.monotonic()
    with pytest.raises(OrderSystemUnavailable):
        await client.get(f"{url}/orders/1")
    assert time.monotonic() - started > 0.7  # it kept trying until the deadline...
    assert faults.requests < 10  # ...and the deadline, not the attempt count, stopped it
    await client.close()


async def test_connection_refused_is_unavailable():
    client = JsonClient("test shop", policy=FAST)
    with pytest.raises(OrderSystemUnavailable):
        await client.get("http://127.0.0.1:9/orders/1")
    await client.close()


@pytest.mark.parametrize("kind, error", [("401", OrderSystemAuthError), ("garbage", OrderSystemBadResponse)])
async def test_auth_and_garbage_are_not_retried(server, client, kind, error):
    url, faults = server
    faults.next(kind)
    with pytest.raises(error):
        await client.get(f"{url}/orders/1")
    assert faults.requests == 1


@pytest.mark.parametrize("fault", ["500", "slow"])
async def test_a_post_that_may_have_been_processed_is_not_sent_again(server, client, fault):
    url, faults = server
    faults.next(fault)
    with pytest.raises(OrderSystemUnavailable):
        await client.post(f"{url}/refuse", {"return": "R-1"})
    assert faults.requests == 1


async def test_a_post_refused_with_429_or_marked_idempotent_is_retried(server, client):
    url, faults = server
    faults.next("429")
    with pytest.raises(OrderSystemRejected):  # the second attempt reaches the handler, which refuses
        await client.post(f"{url}/refuse", {"x": 1})
    faults.next("500")
    with pytest.raises(OrderSystemRejected):
        await client.post(f"{url}/refuse", {"x": 1}, idempotent=True)
    assert faults.requests == 4


async def test_refusals_carry_the_reason(server, client):
    url, _ = server
    with pytest.raises(OrderSystemRejected) as refused:
        await client.post(f"{url}/refuse", {"x": 1})
    assert refused.value.reason == "window_expired"
    with pytest.raises(OrderSystemBadResponse):
        await client.get(f"{url}/bad")


async def test_logs_carry_no_personal_data(server, client, caplog):
    url, faults = server
    faults.next("500", times=10)
    with caplog.at_level(logging.INFO, logger="bot.orders.http"), pytest.raises(OrderSystemUnavailable) as failed:
        await client.get(f"{url}/orders/A-2291", {"email": "ola@example.com", "phone": "+4791234567"})
    logged = caplog.text + str(failed.value)
    assert "HTTP 500" in caplog.text and "/orders/*" in caplog.text
    for secret in ("2291", "ola@example.com", "4791234567", "email", "?"):
        assert secret not in logged


async def test_the_session_is_created_in_the_loop_and_reopens_after_close(server):
    url, _ = server
    client = JsonClient("test shop", policy=FAST)
    assert client._session is None  # nothing created outside a running loop
    await client.get(f"{url}/orders/1")
    await client.close()
    assert (await client.get(f"{url}/orders/2")).data["number"] == "2"
    await client.close()


def test_safe_url_hides_what_could_identify_a_customer():
    assert safe_url("https://user:pw@shop.example.com:8443/admin/api/2024-07/orders/10482.json?name=%231001") == (
        "shop.example.com:8443/admin/api/*/orders/*")
    assert safe_url("http://h/customers/ola@example.com/orders") == "h/customers/*/orders"


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after({"Retry-After": "2.0"}) == 2.0
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert retry_after({}) is None
    assert retry_after({"Retry-After": "soon"}) is None


def test_next_link_among_several():
    header = ('<https://s.myshopify.com/admin/api/2024-07/products.json?limit=5&page_info=p1>; rel="previous", '
              '<https://s.myshopify.com/admin/api/2024-07/products.json?limit=5&page_info=n2>; rel="next"')
    assert next_link({"Link": header}).endswith("page_info=n2")
    assert next_link({"Link": header.split(",")[0]}) is None
