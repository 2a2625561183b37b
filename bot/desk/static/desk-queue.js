// The queue: waiting tickets in the agent's languages, most urgent and longest waiting first; updated live.
(function () {
  const { api, el, minutes, socket } = desk;

  function row(ticket, withClaim) {
    const open = el("a", { href: `/desk/conversations/${encodeURIComponent(ticket.conversation_id)}` }, ticket.customer_name || ticket.conversation_id.slice(0, 18));
    const wait = el("td", { class: ticket.overdue ? "overdue" : "" }, `${minutes(ticket.waiting_seconds)} / ${ticket.target_minutes} min`);
    const cells = [
      el("td", {}, `#${ticket.id}`), el("td", {}, open), el("td", { class: "lang" }, ticket.language),
      el("td", {}, ticket.channel), el("td", {}, ticket.reason), el("td", {}, ticket.priority > 0 ? `priority ${ticket.priority}` : ""),
      wait, el("td", { class: "summary" }, (ticket.summary || []).slice(-1)[0] || ""),
    ];
    if (withClaim) {
      const button = el("button", { type: "button", "data-ticket": ticket.id, class: "claim" }, "Claim");
      button.addEventListener("click", async () => {
        try {
          await api("POST", `/desk/api/tickets/${ticket.id}/claim`);
          location.href = `/desk/conversations/${encodeURIComponent(ticket.conversation_id)}`;
        } catch (error) { alert(`Could not claim: ${error.message}`); }
      });
      cells.push(el("td", {}, button));
    } else if (ticket.agent) {
      cells.push(el("td", {}, ticket.agent));
    }
    return el("tr", { "data-ticket": ticket.id }, ...cells);
  }

  function fill(id, tickets, withClaim, empty) {
    const table = document.getElementById(id);
    table.replaceChildren(...(tickets.length ? tickets.map((t) => row(t, withClaim)) : [el("tr", {}, el("td", { class: "empty" }, empty))]));
  }

  function show(snapshot) {
    const stats = snapshot.stats;
    const oldest = stats.oldest_wait_seconds == null ? "–" : minutes(stats.oldest_wait_seconds);
    const median = stats.median_first_response_seconds == null ? "–" : minutes(stats.median_first_response_seconds);
    document.getElementById("summary").textContent =
      `${stats.waiting} waiting · oldest ${oldest} · median first response ${median} · ` +
      `${Object.keys(snapshot.online).length} agents online · your languages: ${snapshot.agent.languages.join(", ")}`;
    fill("mine", snapshot.mine, false, "Nothing claimed.");
    fill("waiting", snapshot.waiting, true, "Nobody is waiting.");
    fill("others", snapshot.others, false, "—");
  }

  socket((message) => { if (message.type === "queue") show(message); });
})();
