"""In headless Chromium: the web chat page in Greek and in Serbian Cyrillic — its own texts in the customer's
language, a typing indicator while the bot works, a clickable tracking link, no HTML from a message, and the
same conversation (id and history) after a reload. Screenshots go to reports/."""
from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright, expect

from bot.orders.demo_server.seed import SCENARIOS
from bot.settings import PROJECT_ROOT
from tests.browser.chromium import CHROMIUM, FLAGS, require_chromium

require_chromium()

CASES = {
    "el": {"locale": "el-GR", "lang": "el", "title": "Μιλήστε μαζί μας", "placeholder": "Γράψτε ένα μήνυμα…",
           "send": "Αποστολή", "typing": "Πληκτρολογεί…", "question": "πού είναι η παραγγελία μου {number};",
           "order": "shipped_el", "carrier_host": "elta-courier.gr"},
    "sr-Cyrl": {"locale": "sr-Cyrl-RS", "lang": "sr-Cyrl", "title": "Пишите нам", "placeholder": "Напишите поруку…",
                "send": "Пошаљи", "typing": "Куца…", "question": "где је моја поруџбина {number}?",
                "order": "shipped_sr", "carrier_host": "posta.rs"},
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_web_chat_in_the_customers_language_keeps_its_history(stack, case):
    expected = CASES[case]
    order = SCENARIOS[expected["order"]]
    base = f"http://{stack.host}:{stack.desk_port}"
    reports = PROJECT_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            context = await browser.new_context(locale=expected["locale"], timezone_id="Europe/Athens")
            page = await context.new_page()
            await page.goto(f"{base}/chat")
            # The page's own texts, before anything is said.
            await expect(page).to_have_title(expected["title"])
            await expect(page.locator("#text")).to_have_attribute("placeholder", expected["placeholder"])
            await expect(page.locator("#send")).to_have_text(expected["send"])
            assert await page.evaluate("document.documentElement.lang") == expected["lang"]

            # Markup in a message is shown as text, never run.
            await page.fill("#text", "<img src=x onerror=\"document.title='pwned'\">")
            await page.press("#text", "Enter")
            await expect(page.locator("#log li.customer").first).to_have_text(
                "<img src=x onerror=\"document.title='pwned'\">")
            assert await page.locator("#log img").count() == 0
            await expect(page.locator("#log li.bot").first).to_be_visible(timeout=30000)

            # "Typing…" while the bot works (the answer is held back a moment so it can be seen).
            async def slow(route):
                await asyncio.sleep(1.5)
                await route.continue_()
            await page.route("**/chat/api/messages", slow)
            await page.fill("#text", expected["question"].format(number=order["number"]))
            await page.press("#text", "Enter")
            await expect(page.locator("#log li.typing")).to_have_text(expected["typing"])
            await expect(page.locator("#log li.typing")).to_have_count(0, timeout=30000)
            await page.unroute("**/chat/api/messages")

            bot_replies = await page.locator("#log li.bot").count()
            await page.fill("#text", order["email"])
            await page.press("#text", "Enter")
            link = page.locator(f"#log li.bot a[href*='{expected['carrier_host']}']")
            await expect(link).to_be_visible(timeout=30000)
            assert order["tracking_number"] in await link.get_attribute("href")
            assert await link.get_attribute("rel") == "noopener noreferrer"
            assert await page.locator("#log li.bot").count() > bot_replies
            sender = await page.evaluate("localStorage.getItem('chat-sender')")
            customer_turns = await page.locator("#log li.customer").count()
            await page.screenshot(path=str(reports / f"chat-{case}.png"), full_page=True)

            # A reload keeps the conversation: the same id, what was said, and the link still clickable.
            await page.reload()
            await expect(page.locator("#log li.customer")).to_have_count(customer_turns, timeout=15000)
            await expect(page.locator(f"#log li.bot a[href*='{expected['carrier_host']}']")).to_be_visible()
            await expect(page.locator("#send")).to_have_text(expected["send"])
            assert await page.evaluate("localStorage.getItem('chat-sender')") == sender

            # Clicking the link opens the carrier's page in a new tab (answered here: no internet in tests).
            await context.route(f"**://*{expected['carrier_host']}/**", lambda route: route.fulfill(body="tracking"))
            async with context.expect_page() as opened:
                await page.locator(f"#log li.bot a[href*='{expected['carrier_host']}']").click()
            tab = await opened.value
            await tab.wait_for_load_state()
            assert order["tracking_number"] in tab.url
        finally:
            await browser.close()
