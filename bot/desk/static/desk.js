// Shared helpers for the agent console. Everything is rendered with textContent: customer text is never HTML.
const desk = (function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (response.status === 401) { location.href = "/desk/login"; throw new Error("logged out"); }
    if (!response.ok) throw new Error(await response.text());
    return response.json();
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
    return node;
  }

  function minutes(seconds) {
    return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min`;
  }

  function clock(timestamp) {
    return timestamp ? new Date(timestamp * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function socket(onMessage, onOpen) {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/desk/ws`;
    let ws;
    function connect() {
      ws = new WebSocket(url);
      ws.onopen = () => onOpen && onOpen(ws);
      ws.onmessage = (event) => onMessage(JSON.parse(event.data));
      ws.onclose = () => setTimeout(connect, 2000);
    }
    connect();
  }

  return { api, el, minutes, clock, socket };
})();
