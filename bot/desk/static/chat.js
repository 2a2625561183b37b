// Web chat: one conversation per browser (id kept in localStorage), restored from the bot after a reload; the
// page's own texts in the customer's language (the browser's first, then the conversation's); links clickable.
(function () {
  const TEXTS = JSON.parse(document.getElementById("chat-texts").textContent);
  const log = document.getElementById("log");
  const input = document.getElementById("text");
  let sender = localStorage.getItem("chat-sender");
  if (!sender) {
    sender = "web-" + crypto.randomUUID();
    localStorage.setItem("chat-sender", sender);
  }

  // ---- the page's language ----------------------------------------------------------------------------------
  function fromLocale(tag) {
    const parts = String(tag || "").toLowerCase().split(/[-_]/);
    if (["nb", "no", "nn"].includes(parts[0])) return "nb";
    if (parts[0] === "sr") return parts.includes("latn") ? "sr" : "sr-Cyrl"; // Serbian locales default to Cyrillic
    return TEXTS[parts[0]] ? parts[0] : null;
  }
  const browserLanguage = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language])
    .map(fromLocale).find(Boolean) || null;
  let language = browserLanguage || "en";

  function t(key) { return (TEXTS[language] || TEXTS.en)[key]; }

  function applyLanguage(code) {
    if (!TEXTS[code]) return;
    language = code;
    document.documentElement.lang = code;
    document.title = t("title");
    document.getElementById("heading").textContent = t("heading");
    input.placeholder = t("placeholder");
    input.setAttribute("aria-label", t("input"));
    document.getElementById("send").textContent = t("send");
    for (const item of log.querySelectorAll("li.agent")) item.setAttribute("aria-label", t("agent"));
  }
  applyLanguage(language);

  // Without a supported browser language, the page follows the conversation's.
  function followConversation(code) {
    if (!browserLanguage && code && code !== language) applyLanguage(code);
  }

  // ---- messages ---------------------------------------------------------------------------------------------
  const LINK = /\bhttps?:\/\/[^\s<>"']+/g;

  // Text with its web addresses as links: built from text nodes and <a> elements, never parsed as HTML.
  function appendText(parent, text) {
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const link = document.createElement("a");
      link.href = url;
      link.textContent = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      parent.appendChild(link);
      last = match.index + url.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // "Typing…" while the assistant works on an answer.
  const typing = document.createElement("li");
  typing.className = "typing";
  typing.setAttribute("role", "status");
  let pending = 0;
  function working(on) {
    pending += on ? 1 : -1;
    if (pending > 0) {
      typing.textContent = t("typing");
      if (!typing.isConnected) log.appendChild(typing);
    } else {
      typing.remove();
    }
    log.scrollTop = log.scrollHeight;
  }

  function clearButtons() {
    for (const row of log.querySelectorAll(".buttons")) row.remove();
  }

  function add(cls, text, buttons) {
    const item = document.createElement("li");
    item.className = cls;
    appendText(item, text || "");
    if (cls === "agent") item.setAttribute("aria-label", t("agent"));
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
    log.insertBefore(item, typing.isConnected ? typing : null);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text, shown) {
    clearButtons();
    add("customer", shown || text);
    working(true);
    try {
      const response = await fetch("/chat/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender, text, locale: navigator.language,
                               timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
      });
      if (!response.ok) throw new Error(await response.text());
      const data = await response.json();
      for (const reply of data.replies) add("bot", reply.text, reply.buttons);
      if (!browserLanguage) refreshLanguage();
    } catch (error) {
      add("error", t("error"));
    } finally {
      working(false);
    }
  }

  async function history() {
    const response = await fetch(`/chat/api/history?sender=${encodeURIComponent(sender)}`);
    if (!response.ok) throw new Error(await response.text());
    return response.json();
  }

  async function refreshLanguage() {
    try { followConversation((await history()).language); } catch (error) { /* keep the page as it is */ }
  }

  // After a reload: the conversation so far, as the customer saw it.
  async function restore() {
    try {
      const data = await history();
      followConversation(data.language);
      for (const message of data.messages) add(message.who, message.text, message.buttons);
    } catch (error) { /* a new page still works without its history */ }
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
      clearButtons();
      add(message.agent ? "agent" : "bot", message.text, message.buttons);
    };
    ws.onclose = () => setTimeout(listen, 2000);
  }
  restore().then(listen);

  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
