// A witness's commitment, computed in their own browser: the secret never leaves it
// (its field has no name, so the form cannot send it). Without this script (or over
// plain http, where browsers withhold crypto.subtle) the page's hint tells how to
// compute the SHA-256 in a terminal.
(function () {
  "use strict";
  var form = document.getElementById("commit-form");
  if (!form || !window.crypto || !window.crypto.subtle) return;
  var helper = form.querySelector("[data-secret-helper]");
  var secret = document.getElementById("f-secret-local");
  var commitment = document.getElementById("f-commitment");
  helper.hidden = false;
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function update() {
    var text = secret.value.trim();
    if (!text) { commitment.value = ""; return; }
    window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (d) {
      commitment.value = hex(d);
    });
  }
  secret.addEventListener("input", update);
  helper.querySelector("[data-generate]").addEventListener("click", function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    secret.value = hex(bytes.buffer);
    update();
  });
})();
