/* For a partner's page: fits each frame of the campaign's letter form (campaign embed) to
   its content. It takes messages only from the campaign's own site (where this script is
   served from) and only from its frames, and reads nothing but a height from them.
   Without this script the frame keeps the height the snippet gives it, and scrolls. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.URL) return;
  var origin = new URL(script.src, window.location.href).origin;
  var MIN = 200, MAX = 20000;

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "campaign-embed:height" || typeof data.height !== "number" ||
        !isFinite(data.height)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.round(Math.min(MAX, Math.max(MIN, data.height))) + "px";
      }
    }
  });
})();
