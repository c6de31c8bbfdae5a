/* The care worker's app: today's and tomorrow's rota, check in and out, the visit record.
 *
 * Offline first. Every action becomes an event with an idempotency key, kept in a
 * queue in localStorage and sent in order when the server can be reached; a replayed
 * event is accepted once by the server. The rota is kept in localStorage too (and the
 * service worker keeps the shell), so the app opens and works with no signal. What the
 * screen shows is the last rota from the server with the queued events applied on top.
 *
 * Events are sent with the phone token (``Authorization: Bearer``, asked for once with
 * the signed-in session): the server reads no session for them. Without a token, or
 * when it is refused (expired, signed out), the session and its CSRF token are used and
 * a new token is asked for.
 */
(() => {
  "use strict";
  const body = document.body;
  const URLS = { rota: body.dataset.rota, events: body.dataset.events, token: body.dataset.token };
  const USER = body.dataset.user;
  const QUEUE_KEY = `visits.queue.${USER}`;
  const ROTA_KEY = `visits.rota.${USER}`;
  const NOTICE_KEY = `visits.notices.${USER}`;
  const TOKEN_KEY = `visits.token.${USER}`;
  const BATCH = 50;
  const TIMEOUT_MS = 15000;
  let csrf = body.dataset.csrf;
  let token = load(TOKEN_KEY, null); // { token, expires_at } for this worker's phone
  let rota = load(ROTA_KEY, null);
  let queue = load(QUEUE_KEY, []);
  let notices = load(NOTICE_KEY, {}); // visit id -> [reasons of refused events]
  let route = { name: "list" };
  let sending = false;
  let again = false; // an event was queued while a batch was on its way
  let online = navigator.onLine;
  let signInNeeded = false;
  const tagHelp = {}; // "<kind>-<visit id>" -> why the tag could not be read here
  let draft = null; // a tap on the body map not yet saved: { visit, side, x, y }

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; }
  }
  function save() {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    localStorage.setItem(NOTICE_KEY, JSON.stringify(notices));
    if (rota) localStorage.setItem(ROTA_KEY, JSON.stringify(rota));
  }
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => (
    { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const hhmm = (iso) => new Date(iso).toLocaleTimeString("en-GB", {
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });
  const dayName = (date) => {
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
    return date === today ? "Today" : "Tomorrow";
  };

  function toast(text) {
    const el = document.getElementById("toast");
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 6000);
  }

  // ------------------------------------------------------------ the queue

  function enqueue(kind, visitId, fields = {}) {
    queue.push({ key: newKey(), kind, visit: visitId, device_at: new Date().toISOString(), ...fields });
    save();
    render();
    flush();
  }

  /** fetch, given up after TIMEOUT_MS: a stairwell with one bar of signal can hang. */
  function timed(url, options) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    return fetch(url, { ...options, signal: abort.signal }).finally(() => clearTimeout(timer));
  }

  /** The phone token, asked for with the session when there is none (or it has ended). */
  async function phoneToken() {
    if (token && new Date(token.expires_at) > new Date()) return token.token;
    token = null;
    localStorage.removeItem(TOKEN_KEY);
    try {
      const response = await timed(URLS.token, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      if (response.status !== 201) return null;
      token = await response.json();
      localStorage.setItem(TOKEN_KEY, JSON.stringify(token));
      return token.token;
    } catch (error) {
      return null;
    }
  }

  /** POST a batch of events: with the phone token, or the session if there is none. */
  async function post(batch, retried = false) {
    const bearer = await phoneToken();
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    else headers["X-CSRFToken"] = csrf;
    const response = await timed(URLS.events, {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: JSON.stringify({ sent_at: new Date().toISOString(), events: batch }),
    });
    if (bearer && response.status === 401 && !retried) {
      // The token ended (signed out elsewhere, revoked): forget it and try the session.
      token = null;
      localStorage.removeItem(TOKEN_KEY);
      return post(batch, true);
    }
    return response;
  }

  async function flush() {
    if (sending) { again = true; showSync(); return; }
    if (!queue.length) { showSync(); return; }
    if (!navigator.onLine) { online = false; showSync(); return; }
    sending = true;
    again = false;
    showSync(); // "Sending n…" until the server answers, not the last "All sent"
    try {
      // The phone may lose its signal between two batches: stop, the queue waits.
      while (queue.length && navigator.onLine) {
        const batch = queue.slice(0, BATCH);
        const response = await post(batch);
        if (response.status === 401 || response.status === 403 || response.redirected) {
          signInNeeded = true;
          break;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const answer = await response.json();
        signInNeeded = false;
        online = true;
        const done = new Set();
        for (const result of answer.results) {
          done.add(result.key);
          if (result.outcome !== "accepted") {
            const event = batch.find((e) => e.key === result.key);
            const visit = event ? event.visit : "";
            (notices[visit] = notices[visit] || []).push(result.reason);
            toast(`Not recorded: ${result.reason}`);
          } else if (result.needs_approval) {
            toast("Recorded. The office will approve the manual check.");
          }
        }
        queue = queue.filter((e) => !done.has(e.key));
        save();
        if (!done.size) break;
      }
      await refresh();
    } catch (error) {
      online = false;
    } finally {
      sending = false;
      showSync();
      render();
    }
    if (again && online && !signInNeeded) flush();
  }

  async function refresh() {
    if (!navigator.onLine) { online = false; showSync(); render(); return; }
    try {
      const response = await timed(URLS.rota, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.redirected || response.status === 401) { signInNeeded = true; return; }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      rota = await response.json();
      csrf = rota.csrf_token || csrf;
      online = true;
      save();
    } catch (error) {
      online = false;
    }
    showSync();
    render();
  }

  function showSync() {
    const el = document.getElementById("sync");
    el.className = "sync";
    if (signInNeeded) {
      el.textContent = `Sign in again to send ${queue.length}`;
      el.classList.add("offline");
    } else if (!online) {
      el.textContent = queue.length ? `Offline · ${queue.length} to send` : "Offline";
      el.classList.add("offline");
    } else if (queue.length) {
      el.textContent = `Sending ${queue.length}…`;
      el.classList.add("waiting");
    } else {
      el.textContent = "All sent";
    }
  }

  // ------------------------------------------------------------ state = rota + queue

  function state(visit) {
    const queued = queue.filter((e) => e.visit === visit.id);
    const mine = { ...visit.call };
    const tasks = Object.fromEntries(visit.tasks.map((t) => [t.task, { outcome: t.outcome, pending: false }]));
    const doses = Object.fromEntries(visit.doses.map((d) => [d.medication + d.due_at, { outcome: d.outcome, pending: false }]));
    const skin = (visit.skin || []).filter((m) => m.this_visit);
    let pending = 0;
    for (const e of queued) {
      pending += 1;
      if (e.kind === "check_in" && !mine.checked_in_at) {
        mine.checked_in_at = e.device_at; mine.pendingIn = true; mine.workers_in += 1;
      }
      if (e.kind === "check_out" && !mine.checked_out_at) { mine.checked_out_at = e.device_at; mine.pendingOut = true; }
      if (e.kind === "task") tasks[e.payload.task] = { outcome: e.payload.outcome, pending: true };
      if (e.kind === "medication") doses[e.payload.medication + e.payload.due_at] = { outcome: e.payload.outcome, pending: true };
      if (e.kind === "skin") skin.push({ ...e.payload, pending: true });
    }
    const waiting = mine.checked_in_at && !mine.checked_out_at && visit.workers_required > 1
      && (visit.call.waiting_for_partner || (mine.pendingIn && mine.workers_in < visit.workers_required));
    return { call: mine, tasks, doses, pending, waiting, skin };
  }

  function statusChip(visit, s) {
    if (visit.status === "cancelled") return '<span class="chip cancelled">Cancelled</span>';
    if (s.call.checked_out_at) return `<span class="chip completed">Done ${hhmm(s.call.checked_out_at)}</span>`;
    if (s.waiting) return '<span class="chip waiting">Waiting for partner</span>';
    if (s.call.checked_in_at) return `<span class="chip in_progress">In since ${hhmm(s.call.checked_in_at)}</span>`;
    return "";
  }

  // ------------------------------------------------------------ screens

  function render() {
    const main = document.getElementById("main");
    if (!rota) { main.innerHTML = '<p class="muted">No rota yet: connect once to load it.</p>'; return; }
    const visit = route.name === "visit" && rota.visits.find((v) => v.id === route.id);
    const kept = Fields.keep(main);
    main.innerHTML = visit ? visitScreen(visit) : listScreen();
    Fields.restore(main, kept);
  }


  function listScreen() {
    if (!rota.visits.length) return '<p class="muted">No visits today or tomorrow.</p>';
    let html = "";
    let day = null;
    for (const v of rota.visits) {
      if (v.date !== day) { day = v.date; html += `<h2>${dayName(v.date)}</h2>`; }
      const s = state(v);
      html += `<a class="card" href="#visit/${v.id}" data-go="visit" data-id="${v.id}">
        <div class="time">${hhmm(v.start)}–${hhmm(v.end)} ${statusChip(v, s)}
          ${s.pending ? `<span class="chip pending">${s.pending} to send</span>` : ""}</div>
        <div class="who">${esc(v.person.name)}</div>
        <div class="muted">${esc(v.person.address)}</div>
        ${v.partners.length ? `<div class="muted">With ${esc(v.partners.join(", "))}</div>` : ""}
      </a>`;
    }
    return html;
  }

  function visitScreen(v) {
    const s = state(v);
    const p = v.person;
    const inside = s.call.checked_in_at && !s.call.checked_out_at;
    const refused = notices[v.id] || [];
    let html = `<button class="link" data-go="list">← All visits</button>
      <div class="card">
        <div class="time">${dayName(v.date)} ${hhmm(v.start)}–${hhmm(v.end)} ${statusChip(v, s)}</div>
        <h3>${esc(p.name)}</h3>
        <div>Likes to be called <strong>${esc(p.address_as)}</strong></div>
        <div class="muted">${esc(p.address)} ·
          <a href="https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=18/${p.latitude}/${p.longitude}" target="_blank" rel="noopener">map</a></div>
        ${v.partners.length ? `<div>Double-handed with <strong>${esc(v.partners.join(", "))}</strong></div>` : ""}
        ${p.access_notes ? `<div class="access"><strong>Access:</strong> ${esc(p.access_notes)}</div>` : ""}
        ${p.safety.map((x) => `<div class="safety"><strong>Safety:</strong> ${esc(x)}</div>`).join("")}
        ${p.communication ? `<div class="muted">Communication: ${esc(p.communication)}</div>` : ""}
        ${v.handover.length ? `<details open><summary>Handover notes</summary>${v.handover.map((n) =>
          `<div class="item">${esc(n.text)} <span class="muted">— ${esc(n.by)}, ${new Date(n.at).toLocaleString("en-GB", { weekday: "short", hour: "2-digit", minute: "2-digit" })}</span></div>`).join("")}</details>` : ""}
      </div>`;
    for (const reason of refused) html += `<div class="banner" data-notice>Not recorded: ${esc(reason)}</div>`;
    if (refused.length) html += `<button class="small secondary" data-act="dismiss" data-id="${v.id}">Dismiss</button>`;
    if (v.status === "cancelled") return html + '<div class="banner">This visit was cancelled.</div>';
    if (s.waiting) {
      html += `<div class="banner" id="waiting">Waiting for partner: care starts when ${esc(v.partners.join(", ") || "your partner")} is in.</div>`;
    } else if (inside && v.workers_required > 1 && s.call.care_started_at) {
      html += `<div class="hint" id="care-timer">Both in: care started at ${hhmm(s.call.care_started_at)}.</div>`;
    }
    if (!s.call.checked_in_at) {
      html += `<button class="big" data-act="check_in" data-id="${v.id}">Check in</button>` + altChecks(v, "check_in");
      return html;
    }
    html += `<div class="card"><h3>Tasks</h3>${v.tasks.map((t, i) => taskRow(v, t, s.tasks[t.task], i)).join("") || '<p class="muted">No tasks listed.</p>'}</div>`;
    if (v.doses.length) {
      html += `<div class="card"><h3>Medication</h3>${v.doses.map((d, i) => doseRow(v, d, s.doses[d.medication + d.due_at], i)).join("")}</div>`;
    }
    html += `<div class="card"><h3>Notes</h3>
      <label for="note-${v.id}">Note</label><textarea id="note-${v.id}" rows="3"></textarea>
      <label class="check"><input type="checkbox" id="next-${v.id}" checked> For the next worker</label>
      <label class="check"><input type="checkbox" id="share-${v.id}"> ${esc(p.address_as)} agreed to share it with family</label>
      <button class="small" data-act="note" data-id="${v.id}">Save note</button>
      <details><summary>Money handled</summary>
        <label for="fkind-${v.id}">What</label><select id="fkind-${v.id}">
          <option value="shopping">Shopping</option><option value="bill">Paying a bill</option>
          <option value="cash">Cash withdrawal</option><option value="gift">Gift offered to me</option></select>
        <label for="famount-${v.id}">Amount (£)</label><input type="number" step="0.01" min="0" id="famount-${v.id}">
        <label for="fpurpose-${v.id}">Purpose</label><input type="text" id="fpurpose-${v.id}">
        <label class="check"><input type="checkbox" id="fconfirm-${v.id}"> ${esc(p.address_as)} confirmed it</label>
        <button class="small" data-act="finance" data-id="${v.id}">Save</button></details>
      <details><summary>Incident or accident</summary>
        <label for="ikind-${v.id}">Kind</label><select id="ikind-${v.id}">
          <option value="accident">Accident or fall</option><option value="incident">Incident</option>
          <option value="safeguarding">Safeguarding concern</option><option value="health">Change in health or needs</option></select>
        <label for="idesc-${v.id}">What happened</label><textarea id="idesc-${v.id}" rows="3"></textarea>
        <label for="iact-${v.id}">What you did</label><input type="text" id="iact-${v.id}">
        <button class="small warn" data-act="incident" data-id="${v.id}">Report</button></details>
    </div>`;
    if (inside && window.BodyMap) {
      const earlier = (v.skin || []).filter((m) => !m.this_visit);
      html += BodyMap.card(v, s.skin, earlier, draft && draft.visit === v.id ? draft : null);
    }
    if (inside) {
      html += `<button class="big" data-act="check_out" data-id="${v.id}">Check out</button>` + altChecks(v, "check_out");
    }
    return html;
  }

  function altChecks(v, kind) {
    const help = tagHelp[`${kind}-${v.id}`];
    const nfc = window.HomeTag && HomeTag.nfcAvailable();
    return `<details${help ? " open" : ""}><summary>No GPS? Use the home's tag or a reason</summary>
      <div class="tagread">
        <button class="small" data-act="scan" data-kind="${kind}" data-id="${v.id}">Scan the QR code</button>
        ${nfc ? `<button class="small" data-act="nfc" data-kind="${kind}" data-id="${v.id}">Tap the NFC tag</button>` : ""}
      </div>
      ${help ? `<div class="hint" data-tag-help>${esc(help)}</div>` : ""}
      <label for="tag-${kind}-${v.id}">Tag code in the home</label>
      <input type="text" id="tag-${kind}-${v.id}" autocomplete="off" autocapitalize="characters">
      <button class="small secondary" data-act="${kind}" data-method="tag" data-id="${v.id}">With the tag</button>
      <label for="why-${kind}-${v.id}">Reason (the office approves)</label>
      <input type="text" id="why-${kind}-${v.id}">
      <button class="small secondary" data-act="${kind}" data-method="manual" data-id="${v.id}">With a reason</button>
    </details>`;
  }

  /** Read the home's tag with the camera (QR) or NFC, then check in or out with it;
   * where the phone cannot, say why and leave the worker to type the code. */
  function readTag(how, kind, v) {
    const key = `${kind}-${v.id}`;
    delete tagHelp[key];
    const onCode = (code) => { toast(`Tag read: ${code}`); checkInOrOut(kind, v, "tag", code); };
    const onFallback = (message) => {
      tagHelp[key] = message;
      render();
      toast(message);
      document.getElementById(`tag-${key}`)?.focus();
    };
    if (!window.HomeTag) { onFallback("The tag reader did not load: type the code."); return; }
    if (how === "nfc") HomeTag.readNfc(onCode, onFallback);
    else HomeTag.scanQr(onCode, onFallback);
  }

  const OUT = { done: "Done", not_done: "Not done", refused: "Refused", given: "Given", not_given: "Not given" };

  function recorded(rec) {
    if (!rec || !rec.outcome) return "";
    const cls = rec.outcome === "done" || rec.outcome === "given" ? "done" : "refused";
    return `<span class="${cls}">${OUT[rec.outcome]}</span>${rec.pending ? ' <span class="chip pending">to send</span>' : ""}`;
  }

  function taskRow(v, t, rec, i) {
    return `<div class="item" data-task="${esc(t.task)}"><div><strong>${esc(t.task)}</strong> ${recorded(rec)}</div>
      ${rec && rec.outcome ? "" : `<div class="row">
        <button class="small" data-act="task" data-outcome="done" data-id="${v.id}" data-i="${i}">Done</button>
        <button class="small secondary" data-act="task" data-outcome="not_done" data-id="${v.id}" data-i="${i}">Not done</button>
        <button class="small secondary" data-act="task" data-outcome="refused" data-id="${v.id}" data-i="${i}">Refused</button>
        <input type="text" placeholder="Reason if not done" id="treason-${v.id}-${i}" aria-label="Reason for ${esc(t.task)}"></div>`}</div>`;
  }

  function doseRow(v, d, rec, i) {
    return `<div class="item" data-dose="${esc(d.name)}"><div><strong>${esc(d.name)}</strong> ${esc(d.dose)}, ${esc(d.route)} · due ${hhmm(d.due_at)} ${recorded(rec)}</div>
      ${d.instructions ? `<div class="muted">${esc(d.instructions)}</div>` : ""}
      ${rec && rec.outcome ? "" : `<div class="row">
        <button class="small" data-act="dose" data-outcome="given" data-id="${v.id}" data-i="${i}">Given</button>
        <button class="small secondary" data-act="dose" data-outcome="refused" data-id="${v.id}" data-i="${i}">Refused</button>
        <button class="small secondary" data-act="dose" data-outcome="not_given" data-id="${v.id}" data-i="${i}">Not given</button>
        <input type="text" placeholder="Reason if not given" id="dreason-${v.id}-${i}" aria-label="Reason for ${esc(d.name)}"></div>`}</div>`;
  }

  // ------------------------------------------------------------ actions

  function position() {
    return new Promise((resolve) => {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
        () => resolve(null),
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  const value = (id) => (document.getElementById(id)?.value || "").trim();

  async function checkInOrOut(kind, v, method, scanned = "") {
    if (kind === "check_out") {
      const s = state(v);
      const missing = v.doses.filter((d) => !(s.doses[d.medication + d.due_at] || {}).outcome);
      if (missing.length) {
        toast(`Record each dose before checking out: ${missing.map((d) => d.name).join(", ")}.`);
        return;
      }
    }
    if (method === "tag") {
      const code = scanned || value(`tag-${kind}-${v.id}`).toUpperCase();
      if (!code) { toast("Type the code on the tag in the home."); return; }
      delete tagHelp[`${kind}-${v.id}`];
      enqueue(kind, v.id, { method: "tag", tag_code: code });
    } else if (method === "manual") {
      const why = value(`why-${kind}-${v.id}`);
      if (!why) { toast("Give a reason for the office."); return; }
      enqueue(kind, v.id, { method: "manual", manual_reason: why });
    } else {
      const where = await position();
      if (!where) { toast("No GPS fix: use the home's tag or give a reason."); return; }
      enqueue(kind, v.id, { method: "gps", ...where });
    }
  }

  document.addEventListener("click", (event) => {
    const outline = event.target.closest("[data-bodymap] svg.bodymap");
    if (outline) {
      draft = { visit: outline.closest("[data-bodymap]").dataset.bodymap, ...BodyMap.pointFrom(outline, event) };
      render();
      document.getElementById(`snote-${draft.visit}`)?.focus({ preventScroll: true });
      return;
    }
    const el = event.target.closest("[data-go], [data-act]");
    if (!el) return;
    if (el.dataset.go) {
      event.preventDefault();
      route = el.dataset.go === "visit" ? { name: "visit", id: el.dataset.id } : { name: "list" };
      history.replaceState(null, "", route.name === "visit" ? `#visit/${route.id}` : "#");
      render();
      window.scrollTo(0, 0);
      return;
    }
    const v = rota.visits.find((x) => x.id === el.dataset.id);
    if (!v) return;
    const act = el.dataset.act;
    if (act === "check_in" || act === "check_out") { checkInOrOut(act, v, el.dataset.method); return; }
    if (act === "scan" || act === "nfc") { readTag(act, el.dataset.kind, v); return; }
    if (act === "dismiss") { delete notices[v.id]; save(); render(); return; }
    if (act === "task" || act === "dose") {
      const i = Number(el.dataset.i);
      const outcome = el.dataset.outcome;
      const reason = value(`${act === "task" ? "t" : "d"}reason-${v.id}-${i}`);
      if (outcome !== "done" && outcome !== "given" && !reason) { toast("Give the reason."); return; }
      if (act === "task") enqueue("task", v.id, { payload: { task: v.tasks[i].task, outcome, reason } });
      else enqueue("medication", v.id, { payload: { medication: v.doses[i].medication, due_at: v.doses[i].due_at, outcome, reason } });
      return;
    }
    if (act === "note") {
      const text = value(`note-${v.id}`);
      if (!text) { toast("Write the note first."); return; }
      const payload = { text, for_next_worker: document.getElementById(`next-${v.id}`).checked,
        shared_with_person: document.getElementById(`share-${v.id}`).checked };
      Fields.clear(`note-${v.id}`, `share-${v.id}`);
      enqueue("note", v.id, { payload });
      toast("Note saved.");
      return;
    }
    if (act === "finance") {
      const payload = { kind: value(`fkind-${v.id}`), amount: value(`famount-${v.id}`),
        purpose: value(`fpurpose-${v.id}`), confirmed_by_person: document.getElementById(`fconfirm-${v.id}`).checked };
      Fields.clear(`famount-${v.id}`, `fpurpose-${v.id}`, `fconfirm-${v.id}`);
      enqueue("finance", v.id, { payload });
      toast("Saved.");
      return;
    }
    if (act === "incident") {
      const description = value(`idesc-${v.id}`);
      if (!description) { toast("Say what happened."); return; }
      const payload = { kind: value(`ikind-${v.id}`), description, action_taken: value(`iact-${v.id}`) };
      Fields.clear(`idesc-${v.id}`, `iact-${v.id}`);
      enqueue("incident", v.id, { payload });
      toast("Reported to the office.");
      return;
    }
    if (act === "skin_cancel") { draft = null; render(); return; }
    if (act === "skin") {
      const note = value(`snote-${v.id}`);
      if (!draft || draft.visit !== v.id) { toast("Tap the body map where you see it first."); return; }
      if (!note) { toast("Say what it looks like and what you did."); return; }
      const payload = { side: draft.side, x: draft.x, y: draft.y, kind: value(`skind-${v.id}`), note };
      draft = null;
      Fields.clear(`snote-${v.id}`);
      enqueue("skin", v.id, { payload });
      toast("Mark saved.");
    }
  });

  window.addEventListener("online", () => { online = true; flush(); refresh(); });
  window.addEventListener("offline", () => { online = false; showSync(); });
  // Every 15 s; every 5 s while the worker waits for a partner, so the care timer
  // shows as soon as the partner is in.
  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    const waiting = rota && rota.visits.some((v) => state(v).waiting);
    if (document.visibilityState !== "visible" || (!waiting && ticks % 3)) return;
    flush();
    if (!queue.length) refresh();
  }, 5000);

  const m = location.hash.match(/^#visit\/(.+)$/);
  if (m) route = { name: "visit", id: m[1] };
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(() => {});
  }
  render();
  showSync();
  flush().then(refresh);
})();
