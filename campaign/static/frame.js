/* Inside the embed's frame: tell the partner's page how tall this page is, so its embed.js
   can fit the frame to it. Messages go only to the sites allowed to frame the embed
   (CAMPAIGN_EMBED_ORIGINS, on <html data-embed-origins>), and say nothing but a height. */
(function () {
  "use strict";

  if (window.parent === window) return;
  var allowed = JSON.parse(document.documentElement.getAttribute("data-embed-origins") || "[]");
  /* Where the browser names the framing page's origin, post only to it (if allowed); else
     to each allowed origin: the browser delivers a message only where the origin matches. */
  var named = window.location.ancestorOrigins && window.location.ancestorOrigins[0];
  var targets = named ? allowed.filter(function (o) { return o === named; }) : allowed;
  if (!targets.length) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    targets.forEach(function (origin) {
      window.parent.postMessage({ type: "campaign-embed:height", height: height }, origin);
    });
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  post();
})();
