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

  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
