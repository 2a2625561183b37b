"""Agents' corrections against a real Redis: one per message, found per conversation."""
from bot.corrections import Correction, Corrections


async def test_a_correction_is_kept_per_message_and_the_last_one_wins(redis):
    corrections = Corrections(redis, clock=lambda: 100.0)
    await corrections.mark(Correction("web-a[1]", 1.25, "ask_shipping", "ola"))
    await corrections.mark(Correction("web-a[1]", 1.25, "ask_payment_methods", "nikos"))
    await corrections.mark(Correction("web-b", 2.0, "greet", "ola"))
    assert await corrections.of_conversation("web-a[1]") == {1.25: "ask_payment_methods"}
    stored = await corrections.all()
    assert {c.conversation_id for c in stored.values()} == {"web-a[1]", "web-b"}
    assert all(c.corrected_at == 100.0 for c in stored.values())
