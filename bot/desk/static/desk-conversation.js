// One conversation: the whole transcript (live), canned answers in the customer's language, and the actions.
(function () {
  const { api, el, clock, minutes, socket } = desk;
  const conversation = document.querySelector('meta[name="conversation"]').content;
  const list = document.getElementById("transcript");
  const notice = document.getElementById("notice");
  let ticket = null;
  let me = null;
  let intents = [];
  let corrections = [];

  function addTurn(turn) {
    const meta = [clock(turn.time)];
    if (turn.who === "customer") {
      meta.push(turn.language ? `${turn.language}${turn.language_supported === false ? " (unsupported)" : ""}` : "");
      meta.push(turn.intent ? `${turn.intent} ${turn.confidence}` : "");
    }
    if (turn.who === "agent") meta.push(turn.agent);
    const item = el("li", { class: turn.who }, el("div", { class: "meta" }, `${turn.who} · ${meta.filter(Boolean).join(" · ")}`), el("div", { class: "text" }, turn.text));
    if (turn.buttons && turn.buttons.length) item.append(el("div", { class: "meta" }, `buttons: ${turn.buttons.join(" | ")}`));
    if (turn.who === "customer" && intents.length && turn.time) item.append(correction(turn));
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  // "The bot misunderstood this": the agent picks what the message meant; trainers get it through `bot review`.
  function correction(turn) {
    const corrected = corrections.find((c) => c.time === turn.time);
    const select = el("select", { "aria-label": "What the customer meant" },
      ...intents.map((name) => el("option", { value: name }, name)));
    select.value = corrected ? corrected.intent : (intents.includes(turn.intent) ? turn.intent : "");
    const status = el("span", { class: "meta" }, corrected ? " corrected" : "");
    select.addEventListener("change", async () => {
      try {
        await api("POST", `/desk/api/conversations/${encodeURIComponent(conversation)}/corrections`, { time: turn.time, intent: select.value });
        status.textContent = " corrected: trainers will see it";
      } catch (error) { status.textContent = ` ${error.message}`; }
    });
    return el("div", { class: "meta correction" }, "meant: ", select, status);
  }

  function showTicket() {
    const about = document.getElementById("about");
    if (!ticket) {  // a supervisor reading a conversation the bot handled alone
      about.replaceChildren(el("h2", {}, "Conversation"), el("p", {}, "Never handed to a person: read only."));
      for (const id of ["claim", "release", "transfer", "hand-back", "close", "send"]) document.getElementById(id).disabled = true;
      document.getElementById("reply-text").disabled = true;
      return;
    }
    about.replaceChildren(
      el("h2", {}, ticket.customer_name || "Customer"),
      el("p", {}, `Ticket T-${ticket.id} · ${ticket.state}${ticket.agent ? ` (${ticket.agent})` : ""} · language ${ticket.language} · ${ticket.channel} · reason ${ticket.reason} · waited ${minutes(ticket.waiting_seconds)} of ${ticket.target_minutes} min target`),
    );
    // What the bot collected before handing over (order, return case, item, the customer's description).
    const context = Object.entries(ticket.context || {}).filter(([, value]) => value);
    if (context.length) about.append(el("dl", { class: "context" }, ...context.flatMap(([key, value]) => [el("dt", {}, key), el("dd", {}, value)])));
    const mine = ticket.state === "claimed" && me && ticket.agent === me.name;
    document.getElementById("claim").hidden = ticket.state !== "waiting";
    for (const id of ["release", "transfer", "hand-back", "close", "send"]) document.getElementById(id).disabled = !mine;
    document.getElementById("reply-text").disabled = !mine;
  }

  async function load() {
    me = me || await api("GET", "/desk/api/me");
    const data = await api("GET", `/desk/api/conversations/${encodeURIComponent(conversation)}`);
    ticket = data.ticket;
    intents = data.intents;
    corrections = data.corrections;
    list.replaceChildren();
    data.transcript.forEach(addTurn);
    const canned = document.getElementById("canned");
    canned.replaceChildren(el("option", { value: "" }, "Canned answers…"), ...data.canned.map((a) => el("option", { value: a.text }, a.title)));
    document.getElementById("resolution").replaceChildren(...data.resolutions.map((r) => el("option", { value: r }, r)));
    showTicket();
  }

  async function act(path, body, done) {
    notice.textContent = "";
    try {
      const result = await api("POST", `/desk/api/tickets/${ticket.id}/${path}`, body);
      if (result && result.id) { ticket = result; showTicket(); }
      if (done) notice.textContent = done;
    } catch (error) { notice.textContent = error.message; }
  }

  document.getElementById("canned").addEventListener("change", (event) => {
    if (event.target.value) document.getElementById("reply-text").value = event.target.value;
    event.target.value = "";
  });
  document.getElementById("claim").addEventListener("click", () => act("claim", undefined, "Claimed: the customer is yours."));
  document.getElementById("release").addEventListener("click", () => act("release", undefined, "Released back to the queue."));
  document.getElementById("transfer").addEventListener("click", () => act("transfer", { to: document.getElementById("transfer-to").value.trim() }, "Transferred."));
  document.getElementById("hand-back").addEventListener("click", () => act("hand-back", undefined, "Handed back to the bot."));
  document.getElementById("close").addEventListener("click", () => act("close", { resolution: document.getElementById("resolution").value }, "Closed; the customer is asked for a rating."));
  document.getElementById("reply").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("reply-text");
    const text = box.value.trim();
    if (!text) return;
    notice.classList.remove("error");
    try {
      await api("POST", `/desk/api/tickets/${ticket.id}/reply`, { text });
      box.value = "";
      notice.textContent = "Sent.";
    } catch (error) {
      // e.g. the channel's messaging window has closed: the reply stays in the box and was not sent
      notice.textContent = error.message;
      notice.classList.add("error");
    }
  });

  load().catch((error) => { notice.textContent = error.message; });
  socket((message) => {
    if (message.type === "turn" && message.conversation === conversation) addTurn(message.turn);
    if (message.type === "queue" && ticket) {
      const all = [...message.waiting, ...message.mine, ...message.others];
      const fresh = all.find((t) => t.id === ticket.id);
      if (fresh && (fresh.state !== ticket.state || fresh.agent !== ticket.agent)) { ticket = fresh; showTicket(); }
    }
  }, (ws) => ws.send(JSON.stringify({ watch: conversation })));
})();
