// Service figures per language and channel (the same as `bot stats`).
(function () {
  const { api, el, minutes } = desk;
  const percent = (value) => (value == null ? "–" : `${Math.round(value * 100)}%`);

  async function load() {
    const days = document.getElementById("days").value;
    const data = await api("GET", `/desk/api/stats?days=${days}`);
    const head = el("tr", {}, ...["Language", "Channel", "Conversations", "Handoffs", "Handoff rate", "Median first response", "Resolved", "CSAT", "Reasons"].map((h) => el("th", {}, h)));
    const rows = data.rows.map((r) => el("tr", { class: r.language === "all" ? "total" : "" },
      el("td", {}, r.language), el("td", {}, r.channel), el("td", {}, String(r.conversations)), el("td", {}, String(r.handoffs)),
      el("td", {}, percent(r.handoff_rate)), el("td", {}, r.median_first_response_seconds == null ? "–" : minutes(r.median_first_response_seconds)),
      el("td", {}, percent(r.resolution_rate)), el("td", {}, r.csat_average == null ? "–" : `${r.csat_average} (${r.ratings})`),
      el("td", {}, Object.entries(r.reasons).map(([k, v]) => `${k} ${v}`).join(", "))));
    document.getElementById("stats").replaceChildren(head, ...rows);
    const dead = data.dead_letters, note = document.getElementById("dead-letters");
    note.hidden = !dead.count;
    note.textContent = dead.count ? `${dead.count} customer message(s) failed every processing attempt; the customers were offered a person. Latest: ` +
      dead.latest.map((d) => `${d.channel} ${new Date(d.at * 1000).toLocaleString()} (${d.error})`).join(", ") +
      ". They are kept in the Redis stream intake:dead." : "";
  }

  document.getElementById("days").addEventListener("change", load);
  load();
})();
