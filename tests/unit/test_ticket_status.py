"""Ticket and return numbers as customers quote them, and what they are told."""
from bot.handoff.queue import Ticket
from bot.ticket_status import Reference, reference_in, ticket_state


def test_ticket_and_return_numbers_in_any_spelling():
    assert reference_in("any news on T-1042?") == Reference("ticket", "1042")
    assert reference_in("тикет Т-55") == Reference("ticket", "55")  # a Cyrillic T
    assert reference_in("status zgłoszenia #12") == Reference("ticket", "12")
    assert reference_in("povrat r-a-2291-2") == Reference("return", "R-A-2291-2")
    assert reference_in("R-10482-1 please") == Reference("return", "R-10482-1")
    assert Reference("ticket", "12").shown == "T-12"


def test_a_small_bare_number_counts_only_as_an_answer_to_our_question():
    assert reference_in("I complained 3 days ago") is None
    assert reference_in("3", asked=True) == Reference("ticket", "3")
    assert reference_in("ticket 4471") == Reference("ticket", "4471")


def test_ticket_states_for_the_customer():
    waiting = Ticket("c", "web", "en", "customer_request", id="7", created_at=1_770_000_000)
    assert ticket_state(waiting, "en") == ("utter_ticket_waiting", {"ticket": "T-7"})
    claimed = Ticket("c", "web", "en", "customer_request", id="7", state="claimed")
    assert ticket_state(claimed, "en")[0] == "utter_ticket_in_progress"
    closed = Ticket("c", "web", "pl", "customer_request", id="7", state="closed", closed_at=1_770_000_000)
    assert ticket_state(closed, "pl") == ("utter_ticket_closed", {"ticket": "T-7", "date": "2 lutego 2026"})
