/* The body map on the phone: a front and a back outline (from the page's
 * <template id="body-front"> / "body-back", the same drawing as the office's visit
 * record) where the worker taps to place a mark, then says what it is. app.js
 * queues the mark as a "skin" event like any other record.
 *
 * Coordinates are the outline's own (200 x 440), whatever the screen size.
 */
window.BodyMap = (() => {
  "use strict";
  const W = 200;
  const H = 440;
  const KINDS = {
    bruise: "Bruise",
    pressure: "Pressure area (redness, sore)",
    wound: "Wound, cut or skin tear",
    rash: "Rash",
    other: "Other",
  };
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => (
    { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function outline(side) {
    const tpl = document.getElementById(`body-${side}`);
    return tpl ? tpl.innerHTML.trim() : "";
  }

  function dot(m, label, cls) {
    return `<g class="mark ${cls}"><circle cx="${m.x}" cy="${m.y}" r="8"/>` +
      (label ? `<text x="${m.x}" y="${m.y + 4}" text-anchor="middle">${label}</text>` : "") + "</g>";
  }

  function figure(side, marks, draft) {
    let dots = "";
    marks.forEach((m) => { if (m.side === side) dots += dot(m, m.number || "", m.cls); });
    if (draft && draft.side === side) dots += dot(draft, "", "draft");
    return outline(side).replace('<g class="marks">', `<g class="marks">${dots}`);
  }

  function line(m) {
    const where = m.region ? `, ${esc(m.region)}` : ` (${m.side})`;
    return `<strong>${esc(KINDS[m.kind] || m.kind)}</strong>${where}: ${esc(m.note)}` +
      (m.pending ? ' <span class="chip pending">to send</span>' : "") +
      (m.by ? ` <span class="muted">— ${esc(m.by)}, ${new Date(m.at).toLocaleString("en-GB", {
        weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" })}</span>` : "");
  }

  /** The body map card of visit ``v``: ``marks`` are this visit's (server and queued),
   * ``earlier`` the person's marks of the last days, ``draft`` a tap not yet saved. */
  function card(v, marks, earlier, draft) {
    const numbered = marks.map((m, i) => ({ ...m, number: i + 1, cls: m.pending ? "pending" : "" }));
    const old = earlier.map((m) => ({ ...m, cls: "earlier" }));
    const kinds = Object.entries(KINDS).map(([k, label]) => `<option value="${k}">${esc(label)}</option>`).join("");
    return `<div class="card" data-bodymap="${v.id}"><h3>Body map</h3>
      <p class="muted">Tap where you see a bruise, a red or sore pressure area, a wound or a rash.</p>
      <div class="bodymaps">${figure("front", [...old, ...numbered], draft)}${figure("back", [...old, ...numbered], draft)}</div>
      ${draft ? `<div class="item" data-draft>
        <div>New mark on the <strong>${draft.side}</strong>: tap again to move it.</div>
        <label for="skind-${v.id}">What is it</label><select id="skind-${v.id}">${kinds}</select>
        <label for="snote-${v.id}">What it looks like (size, colour) and what you did</label>
        <textarea id="snote-${v.id}" rows="2"></textarea>
        <div class="row"><button class="small" data-act="skin" data-id="${v.id}">Save mark</button>
          <button class="small secondary" data-act="skin_cancel" data-id="${v.id}">Cancel</button></div>
      </div>` : ""}
      ${numbered.length ? `<ol class="skin">${numbered.map((m) => `<li>${line(m)}</li>`).join("")}</ol>` : ""}
      ${old.length ? `<details><summary>Earlier marks to check on (${old.length})</summary>
        <ul class="skin earlier">${old.map((m) => `<li>${line(m)}</li>`).join("")}</ul></details>` : ""}
    </div>`;
  }

  /** Where a tap landed on an outline, in the outline's coordinates. */
  function pointFrom(svg, event) {
    const pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    const p = pt.matrixTransform(svg.getScreenCTM().inverse());
    return {
      side: svg.dataset.side,
      x: Math.round(Math.min(W, Math.max(0, p.x))),
      y: Math.round(Math.min(H, Math.max(0, p.y))),
    };
  }

  return { card, pointFrom, KINDS };
})();
