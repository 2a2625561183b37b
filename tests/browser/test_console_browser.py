"""In headless Chromium: a customer asks for a person on the chat page; an agent logs in to the console, claims
the ticket and replies; the reply appears on the customer's page. Screenshots go to reports/."""
from __future__ import annotations


from playwright.async_api import async_playwright, expect

from bot.settings import PROJECT_ROOT
from tests.browser.chromium import CHROMIUM, FLAGS, require_chromium
from tests.conftest import AGENT_PASSWORD as PASSWORD

require_chromium()


async def test_agent_claims_and_replies_in_the_console(agents, tmp_path):
    base = f"http://{agents.host}:{agents.desk_port}"
    reports = PROJECT_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            customer = await (await browser.new_context(locale="pl-PL")).new_page()
            await customer.goto(f"{base}/chat")
            await customer.fill("#text", "chcę porozmawiać z konsultantem")
            await customer.press("#text", "Enter")
            await expect(customer.locator("#log li.bot").first).to_be_visible(timeout=30000)

            agent = await (await browser.new_context()).new_page()
            await agent.goto(f"{base}/desk")
            await expect(agent).to_have_url(f"{base}/desk/login")
            await agent.fill("input[name=name]", "ola")
            await agent.fill("input[name=password]", PASSWORD)
            await agent.click("button[type=submit]")
            await expect(agent).to_have_url(f"{base}/desk")

            sender = await customer.evaluate("localStorage.getItem('chat-sender')")
            row = agent.locator("#waiting tr", has=agent.locator(f"a[href='/desk/conversations/{sender}']"))
            await expect(row).to_be_visible(timeout=15000)
            await expect(row.locator("td.lang")).to_have_text("pl")
            await agent.screenshot(path=str(reports / "desk-queue.png"), full_page=True)
            await row.locator("button.claim").click()

            await expect(agent).to_have_url(f"{base}/desk/conversations/{sender}")
            await expect(agent.locator("#transcript li.customer").first).to_contain_text("chcę porozmawiać z konsultantem")
            await agent.select_option("#canned", label="Greeting")
            assert "Ola K." in await agent.input_value("#reply-text")
            await agent.fill("#reply-text", "Dzień dobry, tu Ola. Chodzi o zamówienie?")
            await agent.click("#send")
            await expect(agent.locator("#notice")).to_have_text("Sent.")

            await expect(customer.locator("#log li.agent")).to_contain_text("Dzień dobry, tu Ola. Chodzi o zamówienie?", timeout=15000)
            await expect(agent.locator("#transcript li.agent")).to_contain_text("Chodzi o zamówienie?", timeout=15000)
            await agent.screenshot(path=str(reports / "desk-console.png"), full_page=True)
            await customer.screenshot(path=str(reports / "chat-with-agent.png"), full_page=True)
        finally:
            await browser.close()
    assert (reports / "desk-console.png").stat().st_size > 10_000
