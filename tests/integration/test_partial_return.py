"""A line with two T-shirts: the bot asks how many go back, and the order system records exactly that."""
from __future__ import annotations

import json
import urllib.request

from bot.orders.demo_server.seed import SCENARIOS
from tests.integration.responses import identify


def demo_order(stack, number: str) -> dict:
    request = urllib.request.Request(f"{stack.orders_url}/api/orders/{number}",
                                     headers={"X-Api-Key": stack.orders_api_key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_one_of_two_t_shirts_goes_back(customer_factory, stack):
    order = SCENARIOS["delivered_returnable_en"]  # sneakers and two cotton T-shirts
    shirts = order["item_ids"][1]
    customer = customer_factory()
    customer.say(f"I'd like to return something from order {order['number']}")
    customer.say(order["email"])
    asked = customer.say(f'/inform{{"item": "{shirts}"}}')
    assert identify(asked[0]["text"], ["utter_ask_return_quantity"]) == ("utter_ask_return_quantity", "en")
    assert "2 × Cotton T-shirt" in asked[0]["text"]
    assert [button["payload"] for button in asked[0]["buttons"]] == ["1", "2"]
    reason = customer.say("just one")
    assert identify(reason[0]["text"], ["utter_ask_return_reason"]) == ("utter_ask_return_reason", "en")
    done = customer.say(reason[0]["buttons"][0]["payload"])
    assert identify(done[0]["text"], ["utter_return_created"]) == ("utter_return_created", "en")
    assert "Pack 1 × Cotton T-shirt in the original packaging" in done[0]["text"]
    line = next(item for item in demo_order(stack, order["number"])["items"] if item["id"] == shirts)
    assert (line["quantity"], line["returned_quantity"]) == (2, 1)
