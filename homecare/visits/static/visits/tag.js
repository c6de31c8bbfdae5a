/* Reading the tag kept in the home: its QR code with the phone's camera, or its NFC
 * chip. Used by app.js for a check-in or check-out "with the tag".
 *
 * - QR: the browser's BarcodeDetector (Chrome on Android, Safari 17+ on iOS; not
 *   desktop Linux) reading frames of a <video> from getUserMedia (the back camera).
 * - NFC: Web NFC's NDEFReader (Chrome on Android only); the office writes the code
 *   to the tag as a text record from the home tag page.
 *
 * Where the phone cannot, ``onFallback(message)`` says why in plain words and the
 * worker types the code printed under the QR code instead.
 */
window.HomeTag = (() => {
  "use strict";
  const SCAN_EVERY_MS = 200;
  const GIVE_UP_MS = 60000;
  let active = null; // { stop() } while the scanner is open

  const el = (id) => document.getElementById(id);

  /** The code a tag holds: the bare code, or a link carrying ?tag=CODE. */
  function codeFrom(text) {
    const raw = String(text || "").trim();
    try {
      const url = new URL(raw);
      const tag = url.searchParams.get("tag");
      if (tag) return tag.trim().toUpperCase();
    } catch (e) { /* not a link */ }
    return raw.toUpperCase();
  }

  function open(message, withVideo) {
    el("scanner-msg").textContent = message;
    el("scanner-video").hidden = !withVideo;
    el("scanner").hidden = false;
  }

  function close() {
    if (active) { const a = active; active = null; a.stop(); }
    el("scanner").hidden = true;
    const video = el("scanner-video");
    video.srcObject = null;
  }

  const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  async function qrSupported() {
    if (!("BarcodeDetector" in window)) return false;
    if (!BarcodeDetector.getSupportedFormats) return true;
    try { return (await BarcodeDetector.getSupportedFormats()).includes("qr_code"); } catch (e) { return false; }
  }

  const TYPE_IT = "Type the code printed under the QR code instead.";

  /** Open the back camera and read the first QR code seen. */
  async function scanQr(onCode, onFallback) {
    if (!(await qrSupported())) {
      onFallback(`This phone's browser cannot read QR codes. ${TYPE_IT}`);
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      onFallback(`The camera cannot be used here. ${TYPE_IT}`);
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } }, audio: false });
    } catch (error) {
      const why = error && error.name === "NotAllowedError"
        ? "The app may not use the camera (allow it in the browser's settings)."
        : "The camera could not be opened.";
      onFallback(`${why} ${TYPE_IT}`);
      return;
    }
    let running = true;
    active = { stop() { running = false; stream.getTracks().forEach((t) => t.stop()); } };
    const video = el("scanner-video");
    video.srcObject = stream;
    open("Point the camera at the QR code in the home.", true);
    try { await video.play(); } catch (e) { /* autoplay of a muted inline video is allowed */ }
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const until = Date.now() + GIVE_UP_MS;
    while (running && Date.now() < until) {
      if (video.readyState >= 2) {
        try {
          const found = await detector.detect(video);
          const code = found.length ? codeFrom(found[0].rawValue) : "";
          if (code && running) { close(); onCode(code); return; }
        } catch (error) {
          close();
          onFallback(`The QR code could not be read. ${TYPE_IT}`);
          return;
        }
      }
      await sleep(SCAN_EVERY_MS);
    }
    if (running) { close(); onFallback(`No QR code was found. ${TYPE_IT}`); }
  }

  const nfcAvailable = () => "NDEFReader" in window;

  /** Wait for the NFC tag to touch the phone and read the code on it. */
  async function readNfc(onCode, onFallback) {
    if (!nfcAvailable()) { onFallback(`This phone cannot read NFC tags. ${TYPE_IT}`); return; }
    const abort = new AbortController();
    active = { stop() { abort.abort(); } };
    open("Hold the back of the phone to the tag in the home.", false);
    try {
      const reader = new NDEFReader();
      reader.onreadingerror = () => { el("scanner-msg").textContent = "That tag could not be read: try again."; };
      reader.onreading = (event) => {
        for (const record of event.message.records) {
          if (record.recordType !== "text" && record.recordType !== "url") continue;
          const text = new TextDecoder(record.encoding || "utf-8").decode(record.data);
          const code = codeFrom(text);
          if (code) { close(); onCode(code); return; }
        }
        el("scanner-msg").textContent = "That tag holds no code: try the QR code or type the code.";
      };
      await reader.scan({ signal: abort.signal });
    } catch (error) {
      close();
      const why = error && error.name === "NotAllowedError"
        ? "The app may not use NFC (allow it in the browser's settings)." : "NFC could not be started.";
      onFallback(`${why} ${TYPE_IT}`);
    }
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-scan-cancel]")) close();
  });

  return { scanQr, readNfc, nfcAvailable, codeFrom, close };
})();
