// Web chat: one conversation per browser (id kept in localStorage), replies rendered with their buttons.
(function () {
  const log = document.getElementById("log");
  const input = document.getElementById("text");
  let sender = localStorage.getItem("chat-sender");
  if (!sender) {
    sender = "web-" + crypto.randomUUID();
    localStorage.setItem("chat-sender", sender);
  }

  function add(cls, text, buttons) {
    const item = document.createElement("li");
    item.className = cls;
    item.textContent = text || "";
    if (cls === "agent") item.setAttribute("aria-label", "Message from our team");
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const b of buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", () => send(b.payload, b.title));
        row.appendChild(button);
      }
      item.appendChild(row);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text, shown) {
    add("customer", shown || text);
    try {
      const response = await fetch("/chat/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender, text, locale: navigator.language }),
      });
      if (!response.ok) throw new Error(await response.text());
      const data = await response.json();
      for (const reply of data.replies) add("bot", reply.text, reply.buttons);
    } catch (error) {
      add("error", "Sorry, the assistant is not answering right now. Please try again in a moment.");
    }
  }

  // Messages that do not answer a request arrive here: a person's replies after a handoff, the bot's return,
  // the rating question. The last id seen is kept so nothing is shown twice or lost across a reconnect.
  function listen() {
    const after = localStorage.getItem("chat-last-pushed") || "$";
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/chat/api/live?sender=${encodeURIComponent(sender)}&after=${encodeURIComponent(after)}`);
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      localStorage.setItem("chat-last-pushed", message.id);
      add(message.agent ? "agent" : "bot", message.text, message.buttons);
    };
    ws.onclose = () => setTimeout(listen, 2000);
  }
  listen();

  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
