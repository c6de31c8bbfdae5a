/* Fields of the phone app's screens across a redraw: the app redraws a screen from
 * the rota whenever the server answers (every 15 s at least), and must not lose a
 * half-written note, a ticked box, an opened section or the cursor.
 */
window.Fields = (() => {
  "use strict";
  /** What the worker typed, ticked, opened and was typing in: a refresh of the rota
   * redraws the screen and must not lose a half-written note. */
  function keep(main) {
    const fields = {};
    main.querySelectorAll("input[id], textarea[id], select[id]").forEach((el) => {
      fields[el.id] = el.type === "checkbox" ? el.checked : el.value;
    });
    const open = new Set([...main.querySelectorAll("details[open] > summary")].map((x) => x.textContent));
    const active = document.activeElement && main.contains(document.activeElement) ? document.activeElement : null;
    return { fields, open, focus: active && active.id,
      caret: active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null };
  }

  function restore(main, kept) {
    for (const [id, v] of Object.entries(kept.fields)) {
      const el = document.getElementById(id);
      if (!el || !main.contains(el)) continue;
      if (el.type === "checkbox") el.checked = v; else el.value = v;
    }
    main.querySelectorAll("details > summary").forEach((x) => { if (kept.open.has(x.textContent)) x.parentElement.open = true; });
    const el = kept.focus && document.getElementById(kept.focus);
    if (el && main.contains(el)) {
      el.focus({ preventScroll: true });
      if (kept.caret && el.setSelectionRange) { try { el.setSelectionRange(...kept.caret); } catch (e) { /* not text */ } }
    }
  }

  /** Empty fields once their record is queued, so a redraw does not bring them back. */
  function clear(...ids) {
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el) continue;
      if (el.type === "checkbox") el.checked = false; else el.value = "";
    }
  }

  return { keep, restore, clear };
})();
