// Switchyard console: charts (uPlot) with drill-down, the live tail (one SSE stream), and changes through /admin/api/v1.
(function () {
  "use strict";
  const csrf = () => document.querySelector("[data-csrf]")?.dataset.csrf || "";
  const palette = ["#2f6fdf", "#1f9d55", "#d64545", "#c98a00", "#7c3aed", "#0891b2", "#db2777", "#4b5563", "#65a30d"];

  function money(v) { return v == null ? "" : "$" + (Math.abs(v) < 0.01 ? v.toPrecision(3) : v.toFixed(2)); }

  function drawChart(el) {
    const data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    if (!data.buckets.length) { return; }
    const isMs = el.dataset.x === "ms";
    const xs = data.buckets.map(b => isMs ? b : b / 1000);
    const series = [{}];
    const columns = [xs];
    data.lines.forEach((line, i) => {
      series.push({ label: line.name, stroke: palette[i % palette.length], width: 2, fill: el.dataset.fill ? palette[i % palette.length] + "22" : undefined,
        value: (u, v) => v == null ? "–" : data.unit === "usd" ? money(v) : data.unit === "ms" ? v.toFixed(1) + " ms" : v });
      columns.push(line.values);
    });
    const opts = { width: el.clientWidth || 600, height: 220, series, axes: [{}, { size: 70, values: (u, vals) => vals.map(v => data.unit === "usd" ? money(v) : v) }],
      cursor: { drag: { x: false, y: false } }, legend: { live: true }, scales: isMs ? { x: { time: false, distr: 3 } } : undefined };
    const plot = new uPlot(opts, columns, el);
    el.plot = plot;
    // A click on a point opens Requests with the page's filters, the point's bucket as the window, and the line's filter.
    plot.over.addEventListener("click", e => {
      if (isMs) { return; }
      const rect = plot.over.getBoundingClientRect();
      const left = e.clientX - rect.left, top = e.clientY - rect.top;
      const idx = plot.posToIdx(left);
      if (idx == null) { return; }
      let best = -1, bestDist = Infinity;
      for (let s = 1; s < plot.series.length; s++) {
        const v = plot.data[s][idx];
        if (v == null) { continue; }
        const d = Math.abs(plot.valToPos(v, "y") - top);
        if (d < bestDist) { bestDist = d; best = s; }
      }
      const params = new URLSearchParams(el.dataset.query || "");
      params.delete("range"); params.delete("cursor");
      params.set("from", String(data.buckets[idx])); params.set("to", String(data.bucket_ends[idx]));
      const drill = best > 0 ? data.lines[best - 1].drill : null;
      if (drill) { const [k, v] = drill.split("="); params.set(k, decodeURIComponent(v)); }
      window.location.href = "/ui/requests?" + params.toString();
    });
  }

  function tail(table) {
    const body = table.querySelector("tbody");
    const source = new EventSource(table.dataset.tail);
    const status = document.getElementById("tail-status");
    source.onopen = () => { if (status) { status.textContent = "live"; } };
    source.addEventListener("request", e => {
      const r = JSON.parse(e.data);
      const tr = document.createElement("tr");
      tr.className = "new";
      const cell = (text, cls) => { const td = document.createElement("td"); td.textContent = text == null ? "" : text; if (cls) { td.className = cls; } tr.appendChild(td); return td; };
      const link = document.createElement("a"); link.href = "/ui/requests/" + encodeURIComponent(r.request_id); link.textContent = new Date(r.time).toISOString().replace("T", " ").slice(0, 19);
      const first = document.createElement("td"); first.appendChild(link); tr.appendChild(first);
      cell((r.team || "") + " / " + r.key); cell(r.alias + (r.served_model ? " → " + r.served_model : "")); cell(r.data_class);
      const o = cell(""); const pill = document.createElement("span"); pill.className = "pill " + r.outcome; pill.textContent = r.outcome; o.appendChild(pill);
      cell(r.input_tokens + " / " + r.cached_tokens + " / " + r.output_tokens, "num"); cell(money(r.cost_usd), "num"); cell(r.total_ms.toFixed(1) + " ms", "num");
      cell(r.ttft_ms == null ? "" : r.ttft_ms.toFixed(1) + " ms", "num"); cell(r.overhead_us, "num"); cell(r.fallbacks, "num");
      body.insertBefore(tr, body.firstChild);
      while (body.rows.length > 500) { body.deleteRow(body.rows.length - 1); }
    });
    source.onerror = () => { if (status) { status.textContent = "reconnecting…"; } };
  }

  // <form data-api="POST /admin/api/v1/keys" data-then="reload|show">: fields become JSON (name.sub → nested, data-type="number|list|bool").
  function apiForm(form) {
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const [method, url] = form.dataset.api.split(" ");
      const body = {};
      for (const el of form.elements) {
        if (!el.name || el.name === "_csrf") { continue; }
        let v = el.type === "checkbox" ? el.checked : el.value;
        if (el.type !== "checkbox" && v === "") { continue; }
        if (el.dataset.type === "number") { v = Number(v); }
        if (el.dataset.type === "list") { v = v.split(",").map(s => s.trim()).filter(Boolean); }
        const path = el.name.split(".");
        let o = body;
        for (let i = 0; i < path.length - 1; i++) { o = o[path[i]] = o[path[i]] || {}; }
        o[path[path.length - 1]] = v;
      }
      const target = (form.dataset.url || url).replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(form.elements[k]?.value || ""));
      const out = document.getElementById(form.dataset.out);
      const res = await fetch(target, { method, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() }, body: method === "DELETE" ? null : JSON.stringify(body), credentials: "same-origin" });
      const text = await res.text();
      let json = null; try { json = text ? JSON.parse(text) : null; } catch { }
      if (!res.ok) { if (out) { out.innerHTML = ""; const p = document.createElement("p"); p.className = "error"; p.textContent = (json && (json.detail || JSON.stringify(json.errors))) || res.status; out.appendChild(p); } return; }
      if (form.dataset.then === "reload") { window.location.reload(); return; }
      if (out) {
        out.innerHTML = "";
        if (json && json.key) {
          const p = document.createElement("p"); p.textContent = "The key, shown this once — copy it now:"; out.appendChild(p);
          const s = document.createElement("div"); s.className = "secret"; s.id = "issued-key"; s.textContent = json.key; out.appendChild(s);
        } else {
          const pre = document.createElement("pre"); pre.textContent = JSON.stringify(json, null, 2); out.appendChild(pre);
        }
      }
    });
  }

  document.querySelectorAll("[data-chart]").forEach(drawChart);
  document.querySelectorAll("table[data-tail]").forEach(tail);
  document.querySelectorAll("form[data-api]").forEach(apiForm);
  document.querySelectorAll("[data-copy]").forEach(b => b.addEventListener("click", () => navigator.clipboard?.writeText(document.getElementById(b.dataset.copy).textContent)));
})();
